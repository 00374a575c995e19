{#- hotline status trail: every landed version's status at its updated_at, and the milestones
    (call, dispatch, finish, callback) of every version. -#}
{{ incremental_staging_config('hotline') }}
with

landed_versions as (

    select
        source_record_id,
        json_transform(
            payload,
            '{"status": "VARCHAR", "updated_at": "VARCHAR", "call_time": "VARCHAR", "dispatched_at": "VARCHAR", '
            || '"finished_at": "VARCHAR", "visited_at": "VARCHAR"}'
        ) as work_order,
    from {{ landed_to_build('hotline') }}

),

version_events as (

    select
        source_record_id,
        {{ hotline_status('work_order.status') }} as status,
        {{ channel_time('work_order.updated_at', '%Y-%m-%d %H:%M:%S') }} as status_at,
        work_order.status as raw_status,
    from landed_versions

),

milestone_events as (

    select
        source_record_id,
        'received' as status,
        {{ channel_time('work_order.call_time', '%Y-%m-%d %H:%M:%S') }} as status_at,
        '已受理' as raw_status,
    from landed_versions
    union all
    select
        source_record_id,
        'dispatched' as status,
        {{ channel_time('work_order.dispatched_at', '%Y-%m-%d %H:%M:%S') }} as status_at,
        '已派单' as raw_status,
    from landed_versions
    union all
    select
        source_record_id,
        'finished' as status,
        {{ channel_time('work_order.finished_at', '%Y-%m-%d %H:%M:%S') }} as status_at,
        '已办结' as raw_status,
    from landed_versions
    union all
    select
        source_record_id,
        'evaluated' as status,
        {{ channel_time('work_order.visited_at', '%Y-%m-%d %H:%M:%S') }} as status_at,
        '已回访' as raw_status,
    from landed_versions

),

all_events as (

    select * from version_events
    union all
    select * from milestone_events

),

status_events as (

    {{ status_event_select('all_events', 'hotline') }}

)

select * from status_events
