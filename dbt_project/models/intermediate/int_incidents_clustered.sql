{#- One row per complaint with its incident. The anchor is the incident's earliest complaint (its
    earliest record, ties by channel order then source id); incident_id = 'I' + the first 16 hex
    digits of sha256(that record's key): a pure function of the cluster, stable across re-runs.
    match_rule, match_score, matched_complaint_id: the link that joined the complaint to its incident. -#}

with

complaint_anchors as (

    select
        clustered.complaint_id,
        clustered.record_key as anchor_record_key,
        records.received_at,
        records.channel_rank,
        records.source_record_id,
    from {{ ref('int_complaints_clustered') }} as clustered
    inner join {{ ref('int_complaints_unioned') }} as records on clustered.record_key = records.record_key
    where clustered.is_anchor

),

incident_order as (

    select
        components.complaint_id,
        components.component_key,
        components.match_rule,
        components.match_score,
        components.matched_complaint_id,
        complaint_anchors.anchor_record_key,
        row_number() over (
            partition by components.component_key
            order by
                complaint_anchors.received_at asc nulls last,
                complaint_anchors.channel_rank asc,
                complaint_anchors.source_record_id asc
        ) as anchor_rank,
    from {{ ref('int_incident_components') }} as components
    inner join complaint_anchors on components.complaint_id = complaint_anchors.complaint_id

),

incident_anchors as (

    select
        component_key,
        'I' || left(sha256(anchor_record_key), 16) as incident_id,
    from incident_order
    where anchor_rank = 1

)

select
    incident_order.complaint_id,
    incident_anchors.incident_id,
    incident_order.match_rule,
    incident_order.match_score,
    incident_order.matched_complaint_id,
    incident_order.anchor_rank = 1 as is_incident_anchor,
from incident_order
inner join incident_anchors on incident_order.component_key = incident_anchors.component_key
