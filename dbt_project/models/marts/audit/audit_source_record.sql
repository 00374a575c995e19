{{ config(schema='audit', materialized='view') }}

{#- Every landed version of every source record, with the complaint it belongs to, the rule and score
    that linked it, and the load and Dagster run that fetched it (docs/auditors.md). Holds raw
    payloads, so it lives in schema audit of the working warehouse, which is never published. -#}

with

{% for channel in var('channels') %}
    {{ channel }}_versions as (

        select
            '{{ channel }}' as channel,
            source_record_id,
            record_version,
            payload_sha256,
            load_id,
            fetched_at,
            payload
        from raw.{{ channel }}

    ),

{% endfor %}
landed_versions as (

    {% for channel in var('channels') %}
        select * from {{ channel }}_versions
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    bridge.complaint_id,
    bridge.channel,
    bridge.source_record_id,
    bridge.match_method,
    versions.record_version,
    versions.payload_sha256,
    versions.load_id,
    loads.run_id,
    versions.payload,
    bridge.match_score,
    bridge.load_id = versions.load_id as is_current_version,
    versions.fetched_at,
    loads.started_at as load_started_at
from {{ ref('bridge_complaint_source') }} as bridge
inner join landed_versions as versions
    on bridge.channel = versions.channel and bridge.source_record_id = versions.source_record_id
left join raw.loads as loads on versions.load_id = loads.load_id
