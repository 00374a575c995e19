{#- petition status trail: every export's 办理状态 (and 评价) at its export time, and the dated
    milestones (登记, 受理, 办结) at local noon of their day. -#}
{{ incremental_staging_config('petition') }}
with

landed_versions as (

    select
        source_record_id,
        json_transform(
            payload,
            '{"办理状态": "VARCHAR", "评价": "VARCHAR", "登记日期": "VARCHAR", "受理日期": "VARCHAR", '
            || '"办结日期": "VARCHAR", "_export_time": "VARCHAR"}'
        ) as petition,
    from {{ landed_to_build('petition') }}

),

version_events as (

    select
        source_record_id,
        {{ petition_status('petition.办理状态', 'petition.评价') }} as status,
        {{ channel_time('petition._export_time', '%Y-%m-%d %H:%M:%S') }} as status_at,
        case
            when {{ petition_status('petition.办理状态', 'petition.评价') }} = 'evaluated' then petition.评价
            else petition.办理状态
        end as raw_status,
    from landed_versions

),

milestone_events as (

    select
        source_record_id,
        'received' as status,
        {{ channel_time('petition.登记日期', '%Y年%m月%d日', '12 hours') }} as status_at,
        '待受理' as raw_status,
    from landed_versions
    union all
    select
        source_record_id,
        case when petition.办理状态 = '不予受理' then 'rejected' else 'dispatched' end as status,
        {{ channel_time('petition.受理日期', '%Y年%m月%d日', '12 hours') }} as status_at,
        case when petition.办理状态 = '不予受理' then '不予受理' else '已受理' end as raw_status,
    from landed_versions
    union all
    select
        source_record_id,
        'finished' as status,
        {{ channel_time('petition.办结日期', '%Y年%m月%d日', '12 hours') }} as status_at,
        '已办结' as raw_status,
    from landed_versions

),

all_events as (

    select * from version_events
    union all
    select * from milestone_events

),

status_events as (

    {{ status_event_select('all_events', 'petition') }}

)

select * from status_events
