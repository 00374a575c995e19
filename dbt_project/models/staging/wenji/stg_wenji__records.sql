{#- wenji suggestions (feeds/wenji.md), one row per 建议编号 in its current version (the latest
    download of its day's export). Every suggestion is a 建议. 所属领域 maps to level 1 where it
    decides one; 其他, 交通出行 and 营商环境 go to the classifier. The export carries no decision
    time: a suggestion is finished when the first download showing its 采纳状态 was fetched. -#}
{{ incremental_staging_config('wenji') }}
with

landed_versions as (

    select * from {{ landed_to_build('wenji') }}

),

current_versions as (

    {{ current_version('landed_versions') }}

),

suggestions as (

    select
        source_record_id,
        load_id,
        fetched_at,
        json_transform(payload, '{{ wenji_payload_schema() | tojson }}') as suggestion,
    from current_versions

),

decision_milestones as (

    select
        source_record_id,
        min(fetched_at) as decided_at,
    from landed_versions
    where json_extract_string(payload, '$.采纳状态') in ('已采纳', '部分采纳', '未采纳')
    group by source_record_id

),

normalised as (

    select
        'wenji:' || suggestions.source_record_id as record_key,
        'wenji' as channel,
        suggestions.source_record_id,
        cast(null as varchar) as parent_source_record_id,
        {{ normalise_phone('suggestions.suggestion.手机号码') }} as phone,
        cast(null as varchar) as resident_id,
        cast(null as varchar) as masked_mobile_sent,
        '建议' as appeal_type,
        nullif(suggestions.suggestion.所属领域, '') as source_category,
        nullif(suggestions.suggestion.所属领域, '') as category_key_1,
        cast(null as varchar) as category_key_2,
        cast(null as varchar) as category_key_3,
        {{ match_letters("concat_ws(' ', suggestions.suggestion.标题, suggestions.suggestion.建议内容)") }} as classify_text,
        cast(null as varchar) as district_sent,
        cast(null as varchar) as street_sent,
        cast(null as varchar) as community_sent,
        cast(null as varchar) as grid_code,
        nullif(concat_ws(' ', suggestions.suggestion.标题, suggestions.suggestion.建议内容), '') as place_text,
        cast(null as double) as lat,
        cast(null as double) as lng,
        cast(null as varchar) as address,
        nullif(suggestions.suggestion.标题, '') as title,
        nullif(suggestions.suggestion.建议内容, '') as content,
        cast(null as varchar) as person_name,
        cast(null as varchar) as person_address,
        {{ wenji_status('suggestions.suggestion.采纳状态') }} as status,
        nullif(suggestions.suggestion.采纳状态, '') as raw_status,
        cast(null as varchar) as handling_unit,
        cast(null as varchar) as satisfaction,
        cast(null as boolean) as is_resolved,
        false as is_withdrawn,
        false as is_rejected,
        false as is_merged,
        {{ channel_time('suggestions.suggestion.提交时间', '%Y-%m-%d %H:%M') }} as received_at,
        cast(null as timestamptz) as dispatched_at,
        case
            when {{ wenji_status('suggestions.suggestion.采纳状态') }} = 'finished'
                then decision_milestones.decided_at
        end as finished_at,
        cast(null as timestamptz) as evaluated_at,
        cast(null as date) as deadline,
        suggestions.load_id,
        suggestions.fetched_at as loaded_at,
    from suggestions
    left join decision_milestones
        on suggestions.source_record_id = decision_milestones.source_record_id

),

{{ category_ctes('normalised', 'category_map_wenji') }},

{{ place_ctes('normalised') }},

staged_records as (

    {{ staging_record_select('normalised') }}

)

select * from staged_records
