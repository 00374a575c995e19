{#- The 接、派、办、评 trail: every status each record of a complaint is known to have reached. -#}

select
    clustered.complaint_id,
    events.channel,
    events.source_record_id,
    events.status,
    events.raw_status,
    cast(events.status_at as timestamptz) as status_at,
from {{ ref('int_status_events_unioned') }} as events
inner join {{ ref('int_complaints_clustered') }} as clustered on events.record_key = clustered.record_key
