{#- minsheng status trail: every landed item's status at its `modified`, the creation and the
    rating, and a withdrawal at the fetch time of the sync that listed it as deleted. -#}
{{ incremental_staging_config('minsheng') }}
with

landed_versions as (

    select
        source_record_id,
        fetched_at,
        json_transform(
            payload,
            '{"status": "VARCHAR", "modified": "VARCHAR", "created": "VARCHAR", "rated_at": "VARCHAR", '
            || '"_deleted": "BOOLEAN"}'
        ) as item,
    from {{ landed_to_build('minsheng') }}

),

version_events as (

    select
        source_record_id,
        {{ minsheng_status('item.status', 'coalesce(item._deleted, false)') }} as status,
        case
            when coalesce(item._deleted, false) then fetched_at
            else {{ channel_time('item.modified', 'iso8601') }}
        end as status_at,
        case when coalesce(item._deleted, false) then 'deleted' else item.status end as raw_status,
    from landed_versions

),

milestone_events as (

    select
        source_record_id,
        'received' as status,
        {{ channel_time('item.created', 'iso8601') }} as status_at,
        'submitted' as raw_status,
    from landed_versions
    union all
    select
        source_record_id,
        'evaluated' as status,
        {{ channel_time('item.rated_at', 'iso8601') }} as status_at,
        'rated' as raw_status,
    from landed_versions

),

all_events as (

    select * from version_events
    union all
    select * from milestone_events

),

status_events as (

    {{ status_event_select('all_events', 'minsheng') }}

)

select * from status_events
