{#- The links that make records one complaint: every rule match of int_record_pairs, overridden by
    reviewed decisions (seed manual_match_decisions: `same` adds a link, `not_same` removes one and
    is handed to clustering as a constraint, so no chain of other links joins the two either). -#}

with

manual_decisions as (

    select
        least(channel_a || ':' || source_record_id_a, channel_b || ':' || source_record_id_b) as record_key_a,
        greatest(channel_a || ':' || source_record_id_a, channel_b || ':' || source_record_id_b) as record_key_b,
        lower(trim(decision)) as decision,
        reviewer,
        reason,
    from {{ ref('manual_match_decisions') }}

),

rule_links as (

    select
        record_key_a,
        record_key_b,
        match_rule,
        match_score,
    from {{ ref('int_record_pairs') }}
    where is_match

),

links_after_review as (

    select
        rule_links.record_key_a,
        rule_links.record_key_b,
        rule_links.match_rule,
        rule_links.match_score,
    from rule_links
    where
        not exists (
            select 1,
            from manual_decisions
            where
                manual_decisions.record_key_a = rule_links.record_key_a
                and manual_decisions.record_key_b = rule_links.record_key_b
        )

    union all

    select
        record_key_a,
        record_key_b,
        'manual:' || decision as match_rule,
        case when decision = 'same' then 1.0 else 0.0 end as match_score,
    from manual_decisions
    where decision in ('same', 'not_same')

)

select
    record_key_a,
    record_key_b,
    match_rule,
    match_score,
    match_rule = 'manual:not_same' as is_constraint,
from links_after_review
