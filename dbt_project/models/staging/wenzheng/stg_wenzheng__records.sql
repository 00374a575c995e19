{#- wenzheng messages (feeds/wenzheng.md), one row per msgId in its current version (latest
    updateTime). The body is HTML: content is its plain text. A nickname is no person. No
    category is sent: the classifier decides. The place is the writer's `南昌市 西湖区` pick and
    what the text names. The unit written to handles it until a unit replies. -#}
{{ incremental_staging_config('wenzheng') }}
with

landed_versions as (

    select * from {{ landed_to_build('wenzheng') }}

),

current_versions as (

    {{ current_version('landed_versions') }}

),

messages as (

    select
        source_record_id,
        load_id,
        fetched_at,
        json_transform(payload, '{{ wenzheng_payload_schema() | tojson }}') as message,
    from current_versions

),

message_texts as (

    select
        *,
        {{ html_to_text('message.body') }} as body_text,
    from messages

),

normalised as (

    select
        'wenzheng:' || message_texts.source_record_id as record_key,
        'wenzheng' as channel,
        message_texts.source_record_id,
        cast(null as varchar) as parent_source_record_id,
        cast(null as varchar) as phone,
        cast(null as varchar) as resident_id,
        cast(null as varchar) as masked_mobile_sent,
        cast(null as varchar) as appeal_type,
        cast(null as varchar) as source_category,
        cast(null as varchar) as category_key_1,
        cast(null as varchar) as category_key_2,
        cast(null as varchar) as category_key_3,
        {{ match_letters("concat_ws(' ', message_texts.message.title, message_texts.body_text)") }} as classify_text,
        nullif(regexp_extract(message_texts.message.region, '([^\s市]+区)', 1), '') as district_sent,
        nullif(regexp_extract(message_texts.message.region, '([^\s区市]+(?:街道|镇))', 1), '') as street_sent,
        cast(null as varchar) as community_sent,
        cast(null as varchar) as grid_code,
        nullif(
            concat_ws(' ', message_texts.message.region, message_texts.message.title, message_texts.body_text), ''
        ) as place_text,
        cast(null as double) as lat,
        cast(null as double) as lng,
        cast(null as varchar) as address,
        nullif(message_texts.message.title, '') as title,
        message_texts.body_text as content,
        cast(null as varchar) as person_name,
        cast(null as varchar) as person_address,
        {{ wenzheng_status('message_texts.message.state') }} as status,
        message_texts.message.state as raw_status,
        coalesce(nullif(message_texts.message.replyunit, ''), nullif(message_texts.message.targetunit, ''))
            as handling_unit,
        cast(null as varchar) as satisfaction,
        cast(null as boolean) as is_resolved,
        false as is_withdrawn,
        false as is_rejected,
        false as is_merged,
        {{ channel_time('message_texts.message.posttime', '%Y/%m/%d %H:%M') }} as received_at,
        cast(null as timestamptz) as dispatched_at,
        {{ channel_time('message_texts.message.replytime', '%Y/%m/%d %H:%M') }} as finished_at,
        cast(null as timestamptz) as evaluated_at,
        cast(null as date) as deadline,
        message_texts.load_id,
        message_texts.fetched_at as loaded_at,
    from message_texts

),

{{ category_ctes('normalised') }},

{{ place_ctes('normalised') }},

staged_records as (

    {{ staging_record_select('normalised') }}

)

select * from staged_records
