{#- Every complaint_id ever published that is no longer a complaint, redirected to the complaint
    that now holds its anchor record (MART.md). Because an id is sha256 of its anchor record's key,
    the anchor of an old id is found in the assignment log, and its current complaint is the one
    a saved id must lead to: redirects are transitive by construction, none dangles. -#}

with

current_complaints as (

    select distinct complaint_id, from {{ ref('int_complaints_clustered') }}

),

assignment_log as (

    select
        record_key,
        complaint_id,
        assigned_at,
    from {{ ref('int_complaint_id_assignments') }}

),

retired_ids as (

    select
        complaint_id as old_complaint_id,
        max(assigned_at) as last_assigned_at,
    from assignment_log
    where complaint_id not in (select current_complaints.complaint_id, from current_complaints)
    group by complaint_id

),

retired_id_anchors as (

    -- the record an old id was made from: 'C' + sha256(record_key)
    select distinct
        retired_ids.old_complaint_id,
        retired_ids.last_assigned_at,
        assignment_log.record_key as anchor_record_key,
    from retired_ids
    inner join assignment_log
        on
            retired_ids.old_complaint_id = assignment_log.complaint_id
            and retired_ids.old_complaint_id = 'C' || left(sha256(assignment_log.record_key), 16)

),

redirects as (

    select
        retired_id_anchors.old_complaint_id,
        clustered.complaint_id,
        (
            select min(later.assigned_at),
            from assignment_log as later
            where
                later.record_key = retired_id_anchors.anchor_record_key
                and later.complaint_id != retired_id_anchors.old_complaint_id
                and later.assigned_at >= retired_id_anchors.last_assigned_at
        ) as changed_at,
    from retired_id_anchors
    inner join {{ ref('int_complaints_clustered') }} as clustered
        on retired_id_anchors.anchor_record_key = clustered.record_key

)

select
    old_complaint_id,
    complaint_id,
    cast(changed_at as timestamptz) as changed_at,
from redirects
