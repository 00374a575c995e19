{#- Every channel's status events (接、派、办、评), one loop over var('channels'). A view, like
    int_complaints_unioned: its reader scans the staging tables instead of a copy of them. -#}
{{ config(materialized='view') }}
{%- set channels = var('channels') -%}

with

unioned_status_events as (

    {% for channel in channels %}
        select
            record_key,
            channel,
            source_record_id,
            status,
            status_at,
            raw_status,
        from {{ ref('stg_' ~ channel ~ '__status_events') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *, from unioned_status_events
