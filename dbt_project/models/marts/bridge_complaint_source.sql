{#- One row for every landed source record, each in exactly one complaint, with how it joined. -#}

select
    clustered.complaint_id,
    clustered.record_key,
    clustered.channel,
    clustered.source_record_id,
    clustered.match_method,
    records.load_id,
    clustered.match_score,
    clustered.is_anchor,
    cast(records.loaded_at as timestamptz) as loaded_at,
from {{ ref('int_complaints_clustered') }} as clustered
inner join {{ ref('int_complaints_unioned') }} as records on clustered.record_key = records.record_key
