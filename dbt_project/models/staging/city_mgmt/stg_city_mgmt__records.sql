{#- city_mgmt cases (feeds/city_mgmt.md), one row per caseId in its current version. Patrol and
    camera cases (网格员巡查, 视频监控) have no person; a citizen's mobile comes masked by the
    vendor (person_masked_key only). Coordinates GCJ-02 -> WGS-84, 0/0 null. State 9 (作废) is
    rejected. The feed has no dispatch or finish time: they are the first landed version in
    state 3-4 and 5-7 (finish also no later than closeTime). A case first seen already finished
    has no dispatch time (its lastModified would be the finish, not the dispatch). -#}
{{ incremental_staging_config('city_mgmt') }}
with

landed_versions as (

    select * from {{ landed_to_build('city_mgmt') }}

),

current_versions as (

    {{ current_version('landed_versions') }}

),

cases as (

    select
        source_record_id,
        load_id,
        fetched_at,
        json_transform(payload, '{{ city_mgmt_payload_schema() | tojson }}') as case_row,
    from current_versions

),

version_states as (

    select
        source_record_id,
        try_cast(json_extract_string(payload, '$.state') as integer) as state,
        try_cast(json_extract_string(payload, '$.lastModified') as bigint) as last_modified_ms,
    from landed_versions

),

state_milestones as (

    select
        source_record_id,
        min(case when state in (3, 4) then last_modified_ms end) as dispatched_ms,
        min(case when state between 5 and 7 then last_modified_ms end) as finished_ms,
    from version_states
    group by source_record_id

),

normalised as (

    select
        'city_mgmt:' || cases.source_record_id as record_key,
        'city_mgmt' as channel,
        cases.source_record_id,
        cast(null as varchar) as parent_source_record_id,
        cast(null as varchar) as phone,
        cast(null as varchar) as resident_id,
        case
            when
                cases.case_row.source = '市民上报'
                and regexp_matches(cases.case_row.reportermobile, '^1[3-9][0-9][*]{4}[0-9]{4}$')
                then cases.case_row.reportermobile
        end as masked_mobile_sent,
        cast(null as varchar) as appeal_type,
        nullif(concat_ws('/', cases.case_row.eventclass.bigname, cases.case_row.eventclass.smallname), '')
            as source_category,
        nullif(cases.case_row.eventclass.smallcode, '') as category_key_1,
        nullif(cases.case_row.eventclass.bigcode, '') as category_key_2,
        cast(null as varchar) as category_key_3,
        {{ match_letters("concat_ws(' ', cases.case_row.eventclass.smallname, cases.case_row.description)") }}
            as classify_text,
        cast(null as varchar) as district_sent,
        cast(null as varchar) as street_sent,
        cast(null as varchar) as community_sent,
        nullif(cases.case_row.gridcode, '') as grid_code,
        nullif(concat_ws(' ', cases.case_row.address, cases.case_row.description), '') as place_text,
        {{ gcj02_to_wgs84_lat('cases.case_row.lng', 'cases.case_row.lat') }} as lat,
        {{ gcj02_to_wgs84_lng('cases.case_row.lng', 'cases.case_row.lat') }} as lng,
        nullif(cases.case_row.address, '') as address,
        cast(null as varchar) as title,
        nullif(cases.case_row.description, '') as content,
        cast(null as varchar) as person_name,
        cast(null as varchar) as person_address,
        {{ city_mgmt_status('cases.case_row.state') }} as status,
        cases.case_row.state as raw_status,
        nullif(cases.case_row.handleunit, '') as handling_unit,
        cast(null as varchar) as satisfaction,
        cast(null as boolean) as is_resolved,
        false as is_withdrawn,
        cases.case_row.state = '9' as is_rejected,
        false as is_merged,
        {{ channel_time('cases.case_row.reporttime', 'epoch_ms') }} as received_at,
        {{ channel_time('state_milestones.dispatched_ms', 'epoch_ms') }} as dispatched_at,
        least(
            {{ channel_time('state_milestones.finished_ms', 'epoch_ms') }},
            {{ channel_time('cases.case_row.closetime', 'epoch_ms') }}
        ) as finished_at,
        cast(null as timestamptz) as evaluated_at,
        {{ local_date(channel_time('cases.case_row.deadline', 'epoch_ms')) }} as deadline,
        cases.load_id,
        cases.fetched_at as loaded_at,
    from cases
    left join state_milestones
        on cases.source_record_id = state_milestones.source_record_id

),

{{ category_ctes('normalised', 'category_map_city_mgmt') }},

{{ place_ctes('normalised') }},

staged_records as (

    {{ staging_record_select('normalised') }}

)

select * from staged_records
