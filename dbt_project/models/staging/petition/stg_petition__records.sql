{#- petition 信访件 (feeds/petition.md), one row per 信访件编号 in its current version (the latest
    export, then the later file). Dates are date-only: they stand for local noon
    (docs/normalisation.md). The person is the phone, else the resident id; the 住址 is the
    home address masked in the text. 评价 has no date: evaluated_at is the export time of the
    first export showing it. Deadline: 60 days after acceptance, before it 15 days after
    registration (信访工作条例). -#}
{{ incremental_staging_config('petition') }}
with

landed_versions as (

    select * from {{ landed_to_build('petition') }}

),

current_versions as (

    {{ current_version('landed_versions') }}

),

petitions as (

    select
        source_record_id,
        load_id,
        fetched_at,
        json_transform(payload, '{{ petition_payload_schema() | tojson }}') as petition,
    from current_versions

),

evaluation_milestones as (

    select
        source_record_id,
        min(
            {{ channel_time("json_extract_string(payload, '$._export_time')", '%Y-%m-%d %H:%M:%S') }}
        ) as evaluated_at,
    from landed_versions
    where json_extract_string(payload, '$.评价') in ('满意', '基本满意', '不满意')
    group by source_record_id

),

normalised as (

    select
        'petition:' || petitions.source_record_id as record_key,
        'petition' as channel,
        petitions.source_record_id,
        cast(null as varchar) as parent_source_record_id,
        {{ normalise_phone('petitions.petition.联系电话') }} as phone,
        {{ normalise_resident_id('petitions.petition.证件号码') }} as resident_id,
        cast(null as varchar) as masked_mobile_sent,
        cast(null as varchar) as appeal_type,
        nullif(petitions.petition.问题类别, '') as source_category,
        nullif(petitions.petition.问题类别, '') as category_key_1,
        nullif(split_part(petitions.petition.问题类别, '-', 1), '') as category_key_2,
        cast(null as varchar) as category_key_3,
        {{ match_letters('petitions.petition.信访事项') }} as classify_text,
        nullif(regexp_extract(petitions.petition.问题属地, '^(?:[^市]*市)?([^区市]+区)', 1), '') as district_sent,
        nullif(regexp_extract(petitions.petition.问题属地, '([^区市]+(?:街道|镇))', 1), '') as street_sent,
        cast(null as varchar) as community_sent,
        cast(null as varchar) as grid_code,
        nullif(concat_ws(' ', petitions.petition.问题属地, petitions.petition.信访事项), '') as place_text,
        cast(null as double) as lat,
        cast(null as double) as lng,
        nullif(petitions.petition.问题属地, '') as address,
        cast(null as varchar) as title,
        nullif(petitions.petition.信访事项, '') as content,
        nullif(petitions.petition.信访人姓名, '') as person_name,
        nullif(petitions.petition.住址, '') as person_address,
        {{ petition_status('petitions.petition.办理状态', 'petitions.petition.评价') }} as status,
        nullif(petitions.petition.办理状态, '') as raw_status,
        nullif(petitions.petition.责任单位, '') as handling_unit,
        {{ satisfaction_from_label('petitions.petition.评价') }} as satisfaction,
        {{ resolved_from_label('petitions.petition.评价') }} as is_resolved,
        false as is_withdrawn,
        petitions.petition.办理状态 = '不予受理' as is_rejected,
        false as is_merged,
        {{ channel_time('petitions.petition.登记日期', '%Y年%m月%d日', '12 hours') }} as received_at,
        case
            when petitions.petition.办理状态 != '不予受理'
                then {{ channel_time('petitions.petition.受理日期', '%Y年%m月%d日', '12 hours') }}
        end as dispatched_at,
        {{ channel_time('petitions.petition.办结日期', '%Y年%m月%d日', '12 hours') }} as finished_at,
        case
            when {{ satisfaction_from_label('petitions.petition.评价') }} is not null
                then evaluation_milestones.evaluated_at
        end as evaluated_at,
        coalesce(
            cast(try_strptime(nullif(petitions.petition.受理日期, ''), '%Y年%m月%d日') + interval '60 days' as date),
            cast(try_strptime(nullif(petitions.petition.登记日期, ''), '%Y年%m月%d日') + interval '15 days' as date)
        ) as deadline,
        petitions.load_id,
        petitions.fetched_at as loaded_at,
    from petitions
    left join evaluation_milestones
        on petitions.source_record_id = evaluation_milestones.source_record_id

),

{{ category_ctes('normalised', 'category_map_petition') }},

{{ place_ctes('normalised') }},

staged_records as (

    {{ staging_record_select('normalised') }}

)

select * from staged_records
