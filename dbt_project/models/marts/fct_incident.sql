{#- One row per incident: complaints about the same real-world event (MART.md). The anchor
    complaint (the earliest) gives category and place; coordinates are the mean of its complaints'. -#}

with

incident_complaints as (

    select
        incidents.incident_id,
        incidents.is_incident_anchor,
        complaints.*,
    from {{ ref('int_incidents_clustered') }} as incidents
    inner join {{ ref('int_complaints_survived') }} as complaints on incidents.complaint_id = complaints.complaint_id

),

incident_records as (

    select
        incidents.incident_id,
        count(distinct clustered.channel) as n_channels,
        count(*) filter (where clustered.channel = 'opinion') as n_opinion_posts,
        count(*) as n_records,
    from {{ ref('int_incidents_clustered') }} as incidents
    inner join {{ ref('int_complaints_clustered') }} as clustered on incidents.complaint_id = clustered.complaint_id
    group by incidents.incident_id

),

incident_summary as (

    select
        incident_id,
        first(category_l1 order by is_incident_anchor desc, (category_l1 is null)) as category_l1,
        first(category_l2 order by is_incident_anchor desc, (category_l2 is null)) as category_l2,
        first(district order by (district is null), is_incident_anchor desc) as district,
        first(street order by (street is null), is_incident_anchor desc) as street,
        avg(lat) as lat,
        avg(lng) as lng,
        count(*) as n_complaints,
        min(received_at) as first_seen_at,
        max(received_at) as last_seen_at,
    from incident_complaints
    group by incident_id

)

select
    incident_summary.incident_id,
    incident_summary.category_l1,
    incident_summary.category_l2,
    incident_summary.district,
    incident_summary.street,
    incident_summary.lat,
    incident_summary.lng,
    incident_summary.n_complaints,
    incident_records.n_channels,
    incident_records.n_opinion_posts,
    incident_records.n_records,
    cast(incident_summary.first_seen_at as timestamptz) as first_seen_at,
    cast(incident_summary.last_seen_at as timestamptz) as last_seen_at,
from incident_summary
inner join incident_records on incident_summary.incident_id = incident_records.incident_id
