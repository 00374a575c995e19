{#- Candidate pairs of records that may be one person's one appeal, with the features and the rule
    that decides each (docs/matching.md). One row per unordered pair, record_key_a < record_key_b.
    Blocking: the same person (full person_key) within match_person_window_days; the masked-mobile
    key only where a side has no full key (two different full keys sharing a masked form are two
    people: person_differs, so such collisions, quadratic in the day's volume, are never built);
    or the channel's own link (hotline merged_into, opinion repost). Records with no person behind
    them only ever meet through a channel link. Bigrams are built only for records in a pair. -#}
{%- set window_days = var('match_person_window_days') -%}
{%- set min_score = var('match_min_score') -%}

with

records as (

    select
        record_key,
        channel,
        source_record_id,
        parent_source_record_id,
        person_key,
        person_masked_key,
        category_l1,
        category_l2,
        category_l3,
        street,
        is_in_register,
        received_at,
        coalesce(match_text, '') as match_text,
    from {{ ref('int_complaints_unioned') }}

),

person_keys as (

    select
        record_key,
        person_key,
        received_at,
    from records
    where person_key is not null

),

masked_keys as (

    select
        record_key,
        person_masked_key,
        person_key is null as lacks_full_key,
        received_at,
    from records
    where person_masked_key is not null

),

person_blocked_pairs as (

    select
        left_key.record_key as record_key_a,
        right_key.record_key as record_key_b,
    from person_keys as left_key
    inner join person_keys as right_key
        on
            left_key.person_key = right_key.person_key
            and left_key.record_key < right_key.record_key
            and right_key.received_at between
            left_key.received_at - interval '{{ window_days }} days'
            and left_key.received_at + interval '{{ window_days }} days'

    union

    -- a masked key only from a side without a full key: two full keys meet (or not) above
    select
        least(lacking.record_key, other.record_key) as record_key_a,
        greatest(lacking.record_key, other.record_key) as record_key_b,
    from masked_keys as lacking
    inner join masked_keys as other
        on
            lacking.person_masked_key = other.person_masked_key
            and lacking.record_key != other.record_key
            and other.received_at between
            lacking.received_at - interval '{{ window_days }} days'
            and lacking.received_at + interval '{{ window_days }} days'
    where lacking.lacks_full_key

),

paired_records as (

    select record_key_a as record_key, from person_blocked_pairs
    union
    select record_key_b as record_key, from person_blocked_pairs

),

-- the distinct character bigrams of match_text's first 300 characters, one row each (rows, not
-- lists: a vectorised unnest and a join count the shared bigrams far faster than list lambdas)
record_bigrams as (

    select distinct
        record_key,
        unnest({{ character_bigrams('code_points') }}) as bigram,
    from (
        select
            records.record_key,
            {{ character_code_points('left(records.match_text, 300)') }} as code_points,
        from records
        inner join paired_records on records.record_key = paired_records.record_key
    ) as record_characters

),

record_bigram_counts as (

    select
        record_key,
        count(*) as n_bigrams,
    from record_bigrams
    group by record_key

),

pair_shared_bigrams as (

    select
        blocked.record_key_a,
        blocked.record_key_b,
        count(*) as n_shared,
    from person_blocked_pairs as blocked
    inner join record_bigrams as bigrams_a on blocked.record_key_a = bigrams_a.record_key
    inner join record_bigrams as bigrams_b
        on
            blocked.record_key_b = bigrams_b.record_key
            and bigrams_a.bigram = bigrams_b.bigram
    group by blocked.record_key_a, blocked.record_key_b

),

pair_text_similarity as (

    -- Jaccard: shared / (bigrams of a + bigrams of b - shared)
    select
        blocked.record_key_a,
        blocked.record_key_b,
        coalesce(shared.n_shared, 0)
        / (counts_a.n_bigrams + counts_b.n_bigrams - coalesce(shared.n_shared, 0)) as text_similarity,
    from person_blocked_pairs as blocked
    inner join record_bigram_counts as counts_a on blocked.record_key_a = counts_a.record_key
    inner join record_bigram_counts as counts_b on blocked.record_key_b = counts_b.record_key
    left join pair_shared_bigrams as shared
        on
            blocked.record_key_a = shared.record_key_a
            and blocked.record_key_b = shared.record_key_b

),

channel_link_pairs as (

    select
        least(child.record_key, parent.record_key) as record_key_a,
        greatest(child.record_key, parent.record_key) as record_key_b,
        'channel_link:' || child.channel as match_rule,
    from records as child
    inner join records as parent
        on
            child.channel = parent.channel
            and child.parent_source_record_id = parent.source_record_id
    where child.record_key != parent.record_key

),

pair_features as (

    select
        blocked.record_key_a,
        blocked.record_key_b,
        case
            when record_a.person_key is not null and record_a.person_key = record_b.person_key then 1.0
            when record_a.person_key is not null and record_b.person_key is not null then 0.0
            when record_a.person_masked_key = record_b.person_masked_key then 0.8
            else 0.0
        end as person_agreement,
        case
            when record_a.category_l3 = record_b.category_l3 then 1.0
            -- two known, different third-level problems are two appeals, even within one l2
            when record_a.category_l3 is not null and record_b.category_l3 is not null then 0.0
            when record_a.category_l2 = record_b.category_l2 then 0.8
            when
                (record_a.category_l2 is null or record_b.category_l2 is null)
                and record_a.category_l1 = record_b.category_l1
                then 0.5
            when record_a.category_l1 = record_b.category_l1 then 0.2
            else 0.0
        end as category_agreement,
        case
            when record_a.street = record_b.street then 1.0
            when record_a.street is null or record_b.street is null then 0.5
            when not (record_a.is_in_register and record_b.is_in_register) then 0.5
            else 0.0
        end as region_agreement,
        similarity.text_similarity,
        abs(epoch(record_b.received_at) - epoch(record_a.received_at)) / 86400.0 as days_apart,
    from person_blocked_pairs as blocked
    inner join records as record_a on blocked.record_key_a = record_a.record_key
    inner join records as record_b on blocked.record_key_b = record_b.record_key
    inner join pair_text_similarity as similarity
        on
            blocked.record_key_a = similarity.record_key_a
            and blocked.record_key_b = similarity.record_key_b

),

person_pair_scores as (

    select
        *,
        round(
            0.4 * person_agreement
            + 0.3 * category_agreement
            + 0.1 * region_agreement
            + 0.2 * least(1.0, text_similarity / 0.5),
            4
        ) as match_score,
    from pair_features

),

person_pair_rules as (

    select
        record_key_a,
        record_key_b,
        person_agreement,
        category_agreement,
        region_agreement,
        text_similarity,
        days_apart,
        match_score,
        case
            when person_agreement = 0 then 'person_differs'
            when category_agreement < 0.5 and text_similarity < 0.5 then 'different_appeal'
            when region_agreement = 0 and text_similarity < 0.5 then 'different_place'
            when match_score < {{ min_score }} then 'below_threshold'
            when person_agreement = 1 then 'same_person'
            else 'same_masked_person'
        end as match_rule,
    from person_pair_scores

),

all_pairs as (

    select
        record_key_a,
        record_key_b,
        person_agreement,
        category_agreement,
        region_agreement,
        text_similarity,
        days_apart,
        match_score,
        match_rule,
        match_rule in ('same_person', 'same_masked_person') as is_match,
    from person_pair_rules
    where
        not exists (
            select 1,
            from channel_link_pairs
            where
                channel_link_pairs.record_key_a = person_pair_rules.record_key_a
                and channel_link_pairs.record_key_b = person_pair_rules.record_key_b
        )

    union all

    select
        record_key_a,
        record_key_b,
        null as person_agreement,
        null as category_agreement,
        null as region_agreement,
        null as text_similarity,
        null as days_apart,
        1.0 as match_score,
        min(match_rule) as match_rule,
        true as is_match,
    from channel_link_pairs
    group by record_key_a, record_key_b

)

select *, from all_pairs
