{#- wenji status trail: the submission at 提交时间, and every download's 采纳状态 at its fetch
    time (the export says nothing of when a decision was taken). -#}
{{ incremental_staging_config('wenji') }}
with

landed_versions as (

    select
        source_record_id,
        fetched_at,
        json_transform(payload, '{"提交时间": "VARCHAR", "采纳状态": "VARCHAR"}') as suggestion,
    from {{ landed_to_build('wenji') }}

),

version_events as (

    select
        source_record_id,
        {{ wenji_status('suggestion.采纳状态') }} as status,
        case
            when {{ wenji_status('suggestion.采纳状态') }} = 'received'
                then {{ channel_time('suggestion.提交时间', '%Y-%m-%d %H:%M') }}
            else fetched_at
        end as status_at,
        suggestion.采纳状态 as raw_status,
    from landed_versions

),

milestone_events as (

    select
        source_record_id,
        'received' as status,
        {{ channel_time('suggestion.提交时间', '%Y-%m-%d %H:%M') }} as status_at,
        '待处理' as raw_status,
    from landed_versions

),

all_events as (

    select * from version_events
    union all
    select * from milestone_events

),

status_events as (

    {{ status_event_select('all_events', 'wenji') }}

)

select * from status_events
