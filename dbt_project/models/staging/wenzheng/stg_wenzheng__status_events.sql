{#- wenzheng status trail: every landed version's state at its updateTime, the post at postTime
    and the reply at replyTime. -#}
{{ incremental_staging_config('wenzheng') }}
with

landed_versions as (

    select
        source_record_id,
        json_transform(
            payload, '{"state": "VARCHAR", "postTime": "VARCHAR", "updateTime": "VARCHAR", "replyTime": "VARCHAR"}'
        ) as message,
    from {{ landed_to_build('wenzheng') }}

),

version_events as (

    select
        source_record_id,
        {{ wenzheng_status('message.state') }} as status,
        {{ channel_time('message.updatetime', '%Y/%m/%d %H:%M') }} as status_at,
        message.state as raw_status,
    from landed_versions

),

milestone_events as (

    select
        source_record_id,
        'received' as status,
        {{ channel_time('message.posttime', '%Y/%m/%d %H:%M') }} as status_at,
        '待受理' as raw_status,
    from landed_versions
    union all
    select
        source_record_id,
        'finished' as status,
        {{ channel_time('message.replytime', '%Y/%m/%d %H:%M') }} as status_at,
        '已回复' as raw_status,
    from landed_versions

),

all_events as (

    select * from version_events
    union all
    select * from milestone_events

),

status_events as (

    {{ status_event_select('all_events', 'wenzheng') }}

)

select * from status_events
