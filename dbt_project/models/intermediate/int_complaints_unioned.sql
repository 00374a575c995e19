{#- Every channel's staging records, one loop over var('channels') (feeds/README.md order).
    Private columns (person name, person address, problem address, raw content) stop here.
    A view: each reader scans the staging tables it needs, instead of every build copying all of
    them, texts included, into one more table. -#}
{{ config(materialized='view') }}
{%- set channels = var('channels') -%}
{%- set monitoring_channels = var('monitoring_channels') -%}

with

{% for channel in channels %}
    {{ channel }}_records as (

        select
            record_key,
            channel,
            source_record_id,
            parent_source_record_id,
            person_key,
            person_masked_key,
            appeal_type,
            source_category,
            category_l1,
            category_l2,
            category_l3,
            category_method,
            category_score,
            district,
            street,
            community,
            region_code,
            is_in_register,
            lat,
            lng,
            title,
            content_masked,
            match_text,
            status,
            raw_status,
            handling_unit,
            satisfaction,
            is_resolved,
            is_active,
            is_withdrawn,
            is_rejected,
            received_at,
            dispatched_at,
            finished_at,
            evaluated_at,
            deadline,
            load_id,
            loaded_at,
            {{ loop.index }} as channel_rank,
            {{ 'false' if channel in monitoring_channels else 'true' }} as is_handling_channel
        from {{ ref('stg_' ~ channel ~ '__records') }}

    ),

{% endfor %}
unioned_records as (

    {% for channel in channels %}
        select *, from {{ channel }}_records
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *, from unioned_records
