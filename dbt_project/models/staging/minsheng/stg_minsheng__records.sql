{#- minsheng appeals (feeds/minsheng.md), one row per id. An id in `deleted` (landed as
    {"id": …, "_deleted": true}) is withdrawn: status `withdrawn`, its content the last item seen
    before, or null when it was withdrawn before any sync saw it (then no category either).
    Coordinates are WGS-84 as sent (0/0 null); the community is named by the channel. -#}
{{ incremental_staging_config('minsheng') }}
with

landed_versions as (

    select
        *,
        coalesce(try_cast(json_extract_string(payload, '$._deleted') as boolean), false) as is_deletion,
    from {{ landed_to_build('minsheng') }}

),

current_versions as (

    {{ current_version('landed_versions') }}

),

landed_items as (

    select * from landed_versions
    where not is_deletion

),

current_items as (

    {{ current_version('landed_items') }}

),

item_milestones as (

    select
        source_record_id,
        min(
            case
                when json_extract_string(payload, '$.status') in ('assigned', 'processing')
                    then {{ channel_time("json_extract_string(payload, '$.modified')", 'iso8601') }}
            end
        ) as dispatched_at,
        min(
            case
                when json_extract_string(payload, '$.status') in ('done', 'rated')
                    then {{ channel_time("json_extract_string(payload, '$.modified')", 'iso8601') }}
            end
        ) as finished_at,
    from landed_items
    group by source_record_id

),

withdrawals as (

    select
        source_record_id,
        min(fetched_at) as withdrawn_at,
    from landed_versions
    where is_deletion
    group by source_record_id

),

appeals as (

    select
        current_versions.source_record_id,
        current_versions.load_id,
        current_versions.fetched_at,
        json_transform(current_items.payload, '{{ minsheng_payload_schema() | tojson }}') as item,
        withdrawals.withdrawn_at is not null as is_withdrawn,
        item_milestones.dispatched_at,
        item_milestones.finished_at,
    from current_versions
    left join current_items
        on current_versions.source_record_id = current_items.source_record_id
    left join withdrawals
        on current_versions.source_record_id = withdrawals.source_record_id
    left join item_milestones
        on current_versions.source_record_id = item_milestones.source_record_id

),

normalised as (

    select
        'minsheng:' || source_record_id as record_key,
        'minsheng' as channel,
        source_record_id,
        cast(null as varchar) as parent_source_record_id,
        {{ normalise_phone('item.phone') }} as phone,
        cast(null as varchar) as resident_id,
        cast(null as varchar) as masked_mobile_sent,
        cast(null as varchar) as appeal_type,
        cast(null as varchar) as source_category,
        cast(null as varchar) as category_key_1,
        cast(null as varchar) as category_key_2,
        cast(null as varchar) as category_key_3,
        {{ match_letters('item.content') }} as classify_text,
        cast(null as varchar) as district_sent,
        cast(null as varchar) as street_sent,
        nullif(item.community, '') as community_sent,
        cast(null as varchar) as grid_code,
        nullif(concat_ws(' ', item.community, item.content), '') as place_text,
        {{ wgs84_or_null('item.location.lat', 'item.location.lng', 'item.location.lat') }} as lat,
        {{ wgs84_or_null('item.location.lng', 'item.location.lng', 'item.location.lat') }} as lng,
        cast(null as varchar) as address,
        cast(null as varchar) as title,
        nullif(item.content, '') as content,
        nullif(item.name, '') as person_name,
        cast(null as varchar) as person_address,
        {{ minsheng_status('item.status', 'is_withdrawn') }} as status,
        case when is_withdrawn then 'deleted' else item.status end as raw_status,
        nullif(item.assignee, '') as handling_unit,
        {{ satisfaction_from_stars('item.rating') }} as satisfaction,
        {{ resolved_from_stars('item.rating') }} as is_resolved,
        is_withdrawn,
        false as is_rejected,
        false as is_merged,
        {{ channel_time('item.created', 'iso8601') }} as received_at,
        dispatched_at,
        finished_at,
        {{ channel_time('item.rated_at', 'iso8601') }} as evaluated_at,
        cast(null as date) as deadline,
        load_id,
        fetched_at as loaded_at,
    from appeals

),

{{ category_ctes('normalised') }},

{{ place_ctes('normalised') }},

staged_records as (

    {{ staging_record_select('normalised') }}

)

select * from staged_records
