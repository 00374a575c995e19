{#- opinion status trail: every post is `received` when published (MART.md). -#}
{{ incremental_staging_config('opinion') }}
with

landed_versions as (

    select
        source_record_id,
        json_extract_string(payload, '$.published_at') as published_at,
    from {{ landed_to_build('opinion') }}

),

all_events as (

    select
        source_record_id,
        'received' as status,
        {{ channel_time('published_at', 'iso8601') }} as status_at,
        cast(null as varchar) as raw_status,
    from landed_versions

),

status_events as (

    {{ status_event_select('all_events', 'opinion') }}

)

select * from status_events
