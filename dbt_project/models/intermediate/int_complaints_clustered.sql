{#- One row per record with its complaint. Survivorship of the id: the anchor is the component's
    earliest record by its own time, ties by channel order (var channels) then source id as text
    (MART.md); complaint_id = 'C' + the first 16 hex digits of sha256(anchor record_key), so the id
    is a pure function of the cluster: stable across re-runs and rebuilds. -#}

with

records as (

    select
        record_key,
        channel,
        source_record_id,
        person_key,
        channel_rank,
        received_at,
    from {{ ref('int_complaints_unioned') }}

),

components as (

    select
        record_key,
        component_key,
        component_size,
        match_rule,
        match_score,
    from {{ ref('int_record_components') }}

),

anchor_order as (

    select
        components.component_key,
        records.record_key,
        row_number() over (
            partition by components.component_key
            order by records.received_at asc nulls last, records.channel_rank asc, records.source_record_id asc
        ) as anchor_rank,
    from components
    inner join records on components.record_key = records.record_key

),

complaint_anchors as (

    select
        component_key,
        record_key as anchor_record_key,
        'C' || left(sha256(record_key), 16) as complaint_id,
    from anchor_order
    where anchor_rank = 1

)

select
    complaint_anchors.complaint_id,
    records.record_key,
    records.channel,
    records.source_record_id,
    complaint_anchors.anchor_record_key,
    components.component_size as n_records,
    case
        when records.record_key = complaint_anchors.anchor_record_key and components.component_size = 1
            then 'single_record'
        when records.record_key = complaint_anchors.anchor_record_key then 'anchor'
        else components.match_rule
    end as match_method,
    case
        when records.record_key = complaint_anchors.anchor_record_key then 1.0
        else components.match_score
    end as match_score,
    records.record_key = complaint_anchors.anchor_record_key as is_anchor,
from components
inner join records on components.record_key = records.record_key
inner join complaint_anchors on components.component_key = complaint_anchors.component_key
