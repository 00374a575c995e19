{#- city_mgmt status trail: every landed version's state at its lastModified, the report at
    reportTime (state 1) and the close at closeTime (state 7). -#}
{{ incremental_staging_config('city_mgmt') }}
with

landed_versions as (

    select
        source_record_id,
        json_transform(
            payload, '{"state": "VARCHAR", "reportTime": "BIGINT", "lastModified": "BIGINT", "closeTime": "BIGINT"}'
        ) as case_row,
    from {{ landed_to_build('city_mgmt') }}

),

version_events as (

    select
        source_record_id,
        {{ city_mgmt_status('case_row.state') }} as status,
        {{ channel_time('case_row.lastmodified', 'epoch_ms') }} as status_at,
        case_row.state as raw_status,
    from landed_versions

),

milestone_events as (

    select
        source_record_id,
        'received' as status,
        {{ channel_time('case_row.reporttime', 'epoch_ms') }} as status_at,
        '1' as raw_status,
    from landed_versions
    union all
    select
        source_record_id,
        'finished' as status,
        {{ channel_time('case_row.closetime', 'epoch_ms') }} as status_at,
        '7' as raw_status,
    from landed_versions

),

all_events as (

    select * from version_events
    union all
    select * from milestone_events

),

status_events as (

    {{ status_event_select('all_events', 'city_mgmt') }}

)

select * from status_events
