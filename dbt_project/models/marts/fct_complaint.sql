{#- One row per complaint: one person's one appeal, however many records and channels carried it
    (MART.md). Attributes survive per int_complaints_survived; the incident from
    int_incidents_clustered. No personal data: content is the masked text, the person only a key. -#}

with

complaints as (

    select *, from {{ ref('int_complaints_survived') }}

),

incidents as (

    select
        complaint_id,
        incident_id,
    from {{ ref('int_incidents_clustered') }}

),

overdue_rule as (

    -- overdue: finished after the deadline's local date, or still open past it
    select
        complaint_id,
        coalesce(
            case
                when deadline is null then false
                when finished_at is not null then cast(timezone('Asia/Shanghai', finished_at) as date) > deadline
                when status in ('withdrawn', 'rejected') then false
                else cast(timezone('Asia/Shanghai', now()) as date) > deadline
            end,
            false
        ) as is_overdue,
    from complaints

)

select
    complaints.complaint_id,
    incidents.incident_id,
    complaints.person_key,
    complaints.first_channel,
    complaints.channels,
    complaints.appeal_type,
    complaints.category_l1,
    complaints.category_l2,
    complaints.category_l3,
    complaints.district,
    complaints.street,
    complaints.community,
    complaints.region_code,
    complaints.title,
    complaints.content,
    complaints.status,
    complaints.handling_unit,
    complaints.satisfaction,
    complaints.n_records,
    complaints.lat,
    complaints.lng,
    overdue_rule.is_overdue,
    complaints.is_resolved,
    complaints.is_withdrawn,
    complaints.is_valid,
    complaints.has_handling_channel,
    cast(complaints.received_at as timestamptz) as received_at,
    cast(complaints.dispatched_at as timestamptz) as dispatched_at,
    cast(complaints.finished_at as timestamptz) as finished_at,
    cast(complaints.evaluated_at as timestamptz) as evaluated_at,
    complaints.deadline,
from complaints
inner join overdue_rule on complaints.complaint_id = overdue_rule.complaint_id
left join incidents on complaints.complaint_id = incidents.complaint_id
