{#- opinion mentions (feeds/opinion.md), one row per post in its current version. A post is
    monitored, not handled: its status is `received` at published_at. An author is an account,
    not a person (no person_key). A repost's parent_source_record_id is the root of its repost
    chain among landed posts (a chain whose top was never landed ends at the id it names). The
    vendor's keywords help the classifier. Incremental like every staging model: a build re-stages
    the posts with a new load and every repost below them (their root may have moved), walking
    their chains up through every landed post's current repost_of. -#}
{%- set post_words -%}
    concat_ws(' ', posts.post.title, posts.post.text, array_to_string(posts.post.keywords, ' '))
{%- endset %}
{{ incremental_staging_config('opinion') }}
with recursive

landed_posts as (

    select * from {{ source('opinion', 'opinion') }}

),

repost_links as (

    -- every landed post's repost_of, in its current version
    select
        source_record_id,
        nullif(json_transform(payload, '{"repost_of": "VARCHAR"}').repost_of, '') as repost_of,
    from ({{ current_version('landed_posts') }}) as current_posts

),

posts_to_build as (

    -- the posts with a new load and every repost below them (unused when every post is built)
    select
        source_record_id,
        0 as depth,
    from ({{ records_with_new_loads('opinion') or 'select source_record_id from landed_posts' }}) as new_posts

    union all

    select
        repost_links.source_record_id,
        posts_to_build.depth + 1 as depth,
    from posts_to_build
    inner join repost_links
        on posts_to_build.source_record_id = repost_links.repost_of
    where posts_to_build.depth < 100

),

landed_versions as (

    select * from {{ landed_to_build('opinion', 'posts_to_build') }}

),

current_versions as (

    {{ current_version('landed_versions') }}

),

posts as (

    select
        source_record_id,
        load_id,
        fetched_at,
        json_transform(payload, '{{ opinion_payload_schema() | tojson }}') as post,
    from current_versions

),

repost_chains as (

    select
        posts.source_record_id,
        repost_links.repost_of as ancestor_id,
        1 as depth,
    from posts
    inner join repost_links
        on posts.source_record_id = repost_links.source_record_id
    where repost_links.repost_of is not null and repost_links.repost_of != posts.source_record_id

    union all

    select
        repost_chains.source_record_id,
        repost_links.repost_of as ancestor_id,
        repost_chains.depth + 1 as depth,
    from repost_chains
    inner join repost_links
        on repost_chains.ancestor_id = repost_links.source_record_id
    where repost_links.repost_of is not null and repost_chains.depth < 100

),

repost_roots as (

    select
        source_record_id,
        arg_max(ancestor_id, depth) as root_id,
    from repost_chains
    group by source_record_id

),

normalised as (

    select
        'opinion:' || posts.source_record_id as record_key,
        'opinion' as channel,
        posts.source_record_id,
        repost_roots.root_id as parent_source_record_id,
        cast(null as varchar) as phone,
        cast(null as varchar) as resident_id,
        cast(null as varchar) as masked_mobile_sent,
        cast(null as varchar) as appeal_type,
        cast(null as varchar) as source_category,
        cast(null as varchar) as category_key_1,
        cast(null as varchar) as category_key_2,
        cast(null as varchar) as category_key_3,
        {{ match_letters(post_words) }} as classify_text,
        nullif(regexp_extract(posts.post.geo_hint, '([^·\s,，]+区)', 1), '') as district_sent,
        cast(null as varchar) as street_sent,
        cast(null as varchar) as community_sent,
        cast(null as varchar) as grid_code,
        nullif(concat_ws(' ', posts.post.geo_hint, posts.post.title, posts.post.text), '') as place_text,
        cast(null as double) as lat,
        cast(null as double) as lng,
        cast(null as varchar) as address,
        nullif(posts.post.title, '') as title,
        nullif(posts.post.text, '') as content,
        cast(null as varchar) as person_name,
        cast(null as varchar) as person_address,
        'received' as status,
        cast(null as varchar) as raw_status,
        cast(null as varchar) as handling_unit,
        cast(null as varchar) as satisfaction,
        cast(null as boolean) as is_resolved,
        false as is_withdrawn,
        false as is_rejected,
        false as is_merged,
        {{ channel_time('posts.post.published_at', 'iso8601') }} as received_at,
        cast(null as timestamptz) as dispatched_at,
        cast(null as timestamptz) as finished_at,
        cast(null as timestamptz) as evaluated_at,
        cast(null as date) as deadline,
        posts.load_id,
        posts.fetched_at as loaded_at,
    from posts
    left join repost_roots
        on posts.source_record_id = repost_roots.source_record_id

),

{{ category_ctes('normalised') }},

{{ place_ctes('normalised') }},

staged_records as (

    {{ staging_record_select('normalised') }}

)

select * from staged_records
