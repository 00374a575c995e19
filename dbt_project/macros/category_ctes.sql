{#- The unified category of every record (docs/normalisation.md, "Categories"), as a chain of
    CTEs ending in `categories` (record_key, category_l1..3, category_method, category_score).

    `input` has record_key, category_key_1..3 (the channel's own category, most specific first:
    hotline path, its first two levels, its first level) and classify_text (match_text of title
    and content; null when the content was never seen).

    1. Mapping (channels with a category; `category_map` none for those without): the first
       key found in the reviewed seed `category_map` decides (score 1.0,
       method `mapping:<seed>:<source_key>`). A seed row with an empty category_l1 means "not
       decidable from the label" (wenji 其他) and hands the record to the classifier.
    2. Keywords (`category_keywords`): every distinct seed keyword found in classify_text votes
       its weight; level 1 is the heaviest category_l1, level 2 the heaviest category_l2 among
       that level 1's votes, level 3 likewise; a level without a vote stays null. Score: the
       winning level-1 weight / (all matched weight + 1). Method `keywords:<heaviest keyword>`.
       Mapped records with a level left empty are refined the same way, within the mapped levels
       (method gets `+keywords`).
    3. Text seen but no keyword and no mapping: level 1 `城乡建设` (the commonest class of
       12345 appeals), method `keywords:none`, score 0. -#}
{% macro category_ctes(input, category_map=none) -%}
{%- set keyword_pattern = seed_values_pattern('category_keywords', 'keyword') -%}
category_mapped as (

    {%- if category_map is none %}

    select
        record_key,
        classify_text,
        cast(null as varchar) as mapped_source_key,
        cast(null as varchar) as mapped_category_l1,
        cast(null as varchar) as mapped_category_l2,
        cast(null as varchar) as mapped_category_l3,
    from {{ input }}

    {%- else %}

    select
        {{ input }}.record_key,
        {{ input }}.classify_text,
        coalesce(map_1.source_key, map_2.source_key, map_3.source_key) as mapped_source_key,
        {%- for level in ['category_l1', 'category_l2', 'category_l3'] %}
        case
            when map_1.source_key is not null then map_1.{{ level }}
            when map_2.source_key is not null then map_2.{{ level }}
            else map_3.{{ level }}
        end as mapped_{{ level }},
        {%- endfor %}
    from {{ input }}
    left join {{ ref(category_map) }} as map_1 on {{ input }}.category_key_1 = map_1.source_key
    left join {{ ref(category_map) }} as map_2 on {{ input }}.category_key_2 = map_2.source_key
    left join {{ ref(category_map) }} as map_3 on {{ input }}.category_key_3 = map_3.source_key

    {%- endif %}

),

keyword_hits as (

    select distinct
        record_key,
        keyword,
    from (
        select
            record_key,
            unnest(regexp_extract_all(classify_text, {{ keyword_pattern }})) as keyword,
        from category_mapped
        where mapped_category_l3 is null and classify_text is not null
    ) as hits

),

keyword_votes as (

    select
        keyword_hits.record_key,
        category_keywords.keyword,
        category_keywords.category_l1,
        category_keywords.category_l2,
        category_keywords.category_l3,
        category_keywords.weight,
    from keyword_hits
    inner join {{ ref('category_keywords') }} as category_keywords
        on keyword_hits.keyword = category_keywords.keyword

),

keyword_l1_choices as (

    select
        keyword_votes.record_key,
        keyword_votes.category_l1,
        sum(keyword_votes.weight) as l1_weight,
        sum(sum(keyword_votes.weight)) over (partition by keyword_votes.record_key) as matched_weight,
        first(keyword_votes.keyword order by keyword_votes.weight desc, keyword_votes.keyword) as top_keyword,
    from keyword_votes
    inner join category_mapped
        on keyword_votes.record_key = category_mapped.record_key
    where category_mapped.mapped_category_l1 is null or keyword_votes.category_l1 = category_mapped.mapped_category_l1
    group by keyword_votes.record_key, keyword_votes.category_l1
    qualify row_number() over (
        partition by keyword_votes.record_key order by l1_weight desc, keyword_votes.category_l1
    ) = 1

),

category_l1_decided as (

    select
        category_mapped.record_key,
        category_mapped.mapped_source_key,
        category_mapped.mapped_category_l1,
        category_mapped.mapped_category_l2,
        category_mapped.mapped_category_l3,
        keyword_l1_choices.top_keyword,
        keyword_l1_choices.l1_weight,
        keyword_l1_choices.matched_weight,
        case
            when category_mapped.classify_text is null and category_mapped.mapped_category_l1 is null then null
            else coalesce(category_mapped.mapped_category_l1, keyword_l1_choices.category_l1, '城乡建设')
        end as category_l1,
    from category_mapped
    left join keyword_l1_choices
        on category_mapped.record_key = keyword_l1_choices.record_key

),

keyword_l2_choices as (

    select
        keyword_votes.record_key,
        keyword_votes.category_l2,
        sum(keyword_votes.weight) as l2_weight,
    from keyword_votes
    inner join category_l1_decided
        on
            keyword_votes.record_key = category_l1_decided.record_key
            and keyword_votes.category_l1 = category_l1_decided.category_l1
    where keyword_votes.category_l2 is not null and category_l1_decided.mapped_category_l2 is null
    group by keyword_votes.record_key, keyword_votes.category_l2
    qualify row_number() over (
        partition by keyword_votes.record_key order by l2_weight desc, keyword_votes.category_l2
    ) = 1

),

category_l2_decided as (

    select
        category_l1_decided.*,
        coalesce(category_l1_decided.mapped_category_l2, keyword_l2_choices.category_l2) as category_l2,
    from category_l1_decided
    left join keyword_l2_choices
        on category_l1_decided.record_key = keyword_l2_choices.record_key

),

keyword_l3_choices as (

    select
        keyword_votes.record_key,
        keyword_votes.category_l3,
        sum(keyword_votes.weight) as l3_weight,
    from keyword_votes
    inner join category_l2_decided
        on
            keyword_votes.record_key = category_l2_decided.record_key
            and keyword_votes.category_l1 = category_l2_decided.category_l1
            and keyword_votes.category_l2 = category_l2_decided.category_l2
    where keyword_votes.category_l3 is not null and category_l2_decided.mapped_category_l3 is null
    group by keyword_votes.record_key, keyword_votes.category_l3
    qualify row_number() over (
        partition by keyword_votes.record_key order by l3_weight desc, keyword_votes.category_l3
    ) = 1

),

categories as (

    select
        category_l2_decided.record_key,
        category_l2_decided.category_l1,
        category_l2_decided.category_l2,
        coalesce(category_l2_decided.mapped_category_l3, keyword_l3_choices.category_l3) as category_l3,
        case
            when category_l2_decided.category_l1 is null then null
            when category_l2_decided.mapped_category_l1 is not null
                then
                    'mapping:{{ category_map }}:' || category_l2_decided.mapped_source_key
                    || case when category_l2_decided.top_keyword is not null then '+keywords' else '' end
            when category_l2_decided.top_keyword is not null then 'keywords:' || category_l2_decided.top_keyword
            else 'keywords:none'
        end as category_method,
        case
            when category_l2_decided.category_l1 is null then null
            when category_l2_decided.mapped_category_l1 is not null then 1.0
            when category_l2_decided.top_keyword is not null
                then round(category_l2_decided.l1_weight / (category_l2_decided.matched_weight + 1.0), 3)
            else 0.0
        end as category_score,
    from category_l2_decided
    left join keyword_l3_choices
        on category_l2_decided.record_key = keyword_l3_choices.record_key

)
{%- endmacro %}
