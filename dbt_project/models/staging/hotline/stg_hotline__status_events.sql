{#- hotline status trail: every landed version's status at its updated_at, and the milestones
    (call, dispatch, finish, callback) of every version. -#}
with

landed_versions as (

    select
        source_record_id,
        json_transform(payload, '{{ tojson(hotline_payload_schema()) }}') as work_order,
    from {{ source('hotline', 'hotline') }}

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
        landed_versions.source_record_id,
        milestones.status,
        {{ channel_time('milestones.local_time', '%Y-%m-%d %H:%M:%S') }} as status_at,
        milestones.raw_status,
    from landed_versions
    cross join lateral (
        values
        ('received', '已受理', landed_versions.work_order.call_time),
        ('dispatched', '已派单', landed_versions.work_order.dispatched_at),
        ('finished', '已办结', landed_versions.work_order.finished_at),
        ('evaluated', '已回访', landed_versions.work_order.visited_at)
    ) as milestones (status, raw_status, local_time)

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
