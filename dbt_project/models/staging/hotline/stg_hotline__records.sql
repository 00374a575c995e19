{#- hotline work orders (feeds/hotline.md), one row per order_no in its current version. -#}
{{ incremental_staging_config('hotline') }}
with

landed_versions as (

    select * from {{ landed_to_build('hotline') }}

),

current_versions as (

    {{ current_version('landed_versions') }}

),

work_orders as (

    select
        source_record_id,
        load_id,
        fetched_at,
        json_transform(payload, '{{ hotline_payload_schema() | tojson }}') as work_order,
    from current_versions

),

normalised as (

    select
        'hotline:' || source_record_id as record_key,
        'hotline' as channel,
        source_record_id,
        nullif(work_order.merged_into, '') as parent_source_record_id,
        {{ normalise_phone('work_order.caller_phone') }} as phone,
        cast(null as varchar) as resident_id,
        cast(null as varchar) as masked_mobile_sent,
        nullif(work_order.appeal_type, '') as appeal_type,
        nullif(work_order.category, '') as source_category,
        nullif(work_order.category, '') as category_key_1,
        nullif(regexp_extract(work_order.category, '^([^/]+/[^/]+)/', 1), '') as category_key_2,
        nullif(split_part(work_order.category, '/', 1), '') as category_key_3,
        {{ match_letters('work_order.content') }} as classify_text,
        nullif(work_order.district, '') as district_sent,
        nullif(work_order.street, '') as street_sent,
        cast(null as varchar) as community_sent,
        cast(null as varchar) as grid_code,
        nullif(concat_ws(' ', work_order.district, work_order.street, work_order.address, work_order.content), '')
            as place_text,
        cast(null as double) as lat,
        cast(null as double) as lng,
        nullif(work_order.address, '') as address,
        cast(null as varchar) as title,
        nullif(replace(work_order.content, chr(13) || chr(10), chr(10)), '') as content,
        nullif(work_order.caller_name, '') as person_name,
        cast(null as varchar) as person_address,
        {{ hotline_status('work_order.status') }} as status,
        work_order.status as raw_status,
        nullif(work_order.dept, '') as handling_unit,
        {{ satisfaction_from_label('work_order.satisfaction') }} as satisfaction,
        {{ resolved_from_answer('work_order.resolved') }} as is_resolved,
        false as is_withdrawn,
        false as is_rejected,
        nullif(work_order.merged_into, '') is not null as is_merged,
        {{ channel_time('work_order.call_time', '%Y-%m-%d %H:%M:%S') }} as received_at,
        {{ channel_time('work_order.dispatched_at', '%Y-%m-%d %H:%M:%S') }} as dispatched_at,
        {{ channel_time('work_order.finished_at', '%Y-%m-%d %H:%M:%S') }} as finished_at,
        {{ channel_time('work_order.visited_at', '%Y-%m-%d %H:%M:%S') }} as evaluated_at,
        cast(try_strptime(nullif(work_order.deadline, ''), '%Y-%m-%d') as date) as deadline,
        load_id,
        fetched_at as loaded_at,
    from work_orders

),

{{ category_ctes('normalised', 'category_map_hotline') }},

{{ place_ctes('normalised') }},

staged_records as (

    {{ staging_record_select('normalised') }}

)

select * from staged_records
