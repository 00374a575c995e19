{#- Candidate pairs of complaints about the same real-world event (docs/matching.md § Incidents).
    Blocking: the same category_l2 in the same street within incident_window_days. A complaint with
    no street (most opinion posts) is linked only to its single best candidate of the same
    category_l2 in the window, so it cannot chain two events together. Rule: similar words (the
    spot is in the text), or the same category_l3 with coordinates that agree; coordinates
    further apart than ~150 m veto. -#}
{%- set window_days = var('incident_window_days') -%}
{%- set min_text = var('incident_min_text_similarity') -%}

with

complaints as (

    select
        survived.complaint_id,
        survived.category_l2,
        survived.category_l3,
        survived.street,
        survived.lat,
        survived.lng,
        survived.received_at,
        list_distinct(
            list_transform(
                range(1, greatest(length(left(coalesce(anchor.match_text, ''), 300)), 2)),
                position -> substr(anchor.match_text, position, 2)
            )
        ) as bigrams,
    from {{ ref('int_complaints_survived') }} as survived
    inner join {{ ref('int_complaints_clustered') }} as clustered
        on survived.complaint_id = clustered.complaint_id and clustered.is_anchor
    inner join {{ ref('int_complaints_unioned') }} as anchor on clustered.record_key = anchor.record_key
    where survived.category_l2 is not null

),

same_street_pairs as (

    select
        complaint_a.complaint_id as complaint_id_a,
        complaint_b.complaint_id as complaint_id_b,
        true as has_same_street,
    from complaints as complaint_a
    inner join complaints as complaint_b
        on
            complaint_a.category_l2 = complaint_b.category_l2
            and complaint_a.street = complaint_b.street
            and complaint_a.complaint_id < complaint_b.complaint_id
            and complaint_b.received_at between
            complaint_a.received_at - interval '{{ window_days }} days'
            and complaint_a.received_at + interval '{{ window_days }} days'

),

streetless_pairs as (

    select
        least(streetless.complaint_id, candidate.complaint_id) as complaint_id_a,
        greatest(streetless.complaint_id, candidate.complaint_id) as complaint_id_b,
        false as has_same_street,
    from complaints as streetless
    inner join complaints as candidate
        on
            streetless.category_l2 = candidate.category_l2
            and streetless.complaint_id != candidate.complaint_id
            and candidate.received_at between
            streetless.received_at - interval '{{ window_days }} days'
            and streetless.received_at + interval '{{ window_days }} days'
    where streetless.street is null

),

pair_features as (

    select
        blocked.complaint_id_a,
        blocked.complaint_id_b,
        bool_or(blocked.has_same_street) as has_same_street,
        coalesce(any_value(complaint_a.category_l3 = complaint_b.category_l3), false) as is_same_category_l3,
        any_value(
            case
                when complaint_a.lat is null or complaint_b.lat is null then null
                else greatest(abs(complaint_a.lat - complaint_b.lat), abs(complaint_a.lng - complaint_b.lng))
            end
        ) as coordinate_distance_degrees,
        any_value(
            coalesce(
                len(list_intersect(complaint_a.bigrams, complaint_b.bigrams))
                / nullif(len(list_distinct(list_concat(complaint_a.bigrams, complaint_b.bigrams))), 0),
                0.0
            )
        ) as text_similarity,
    from (
        select * from same_street_pairs
        union all
        select * from streetless_pairs
    ) as blocked
    inner join complaints as complaint_a on blocked.complaint_id_a = complaint_a.complaint_id
    inner join complaints as complaint_b on blocked.complaint_id_b = complaint_b.complaint_id
    group by blocked.complaint_id_a, blocked.complaint_id_b

),

incident_rules as (

    select
        *,
        round(
            0.3 * has_same_street::int
            + 0.2 * is_same_category_l3::int
            + 0.5 * least(1.0, text_similarity / 0.5),
            4
        ) as match_score,
        case
            when coordinate_distance_degrees > 0.0015 then null
            when has_same_street and text_similarity >= {{ min_text }} then 'same_street_similar_words'
            when has_same_street and is_same_category_l3 and coordinate_distance_degrees is not null
                then 'same_street_same_spot'
            when not has_same_street and text_similarity >= {{ min_text }} then 'similar_words_no_street'
        end as match_rule,
    from pair_features

),

streetless_best_link as (

    -- a complaint with no street keeps only its best link
    select
        complaint_id_a,
        complaint_id_b,
    from (
        select
            incident_rules.complaint_id_a,
            incident_rules.complaint_id_b,
            row_number() over (
                partition by complaints.complaint_id
                order by incident_rules.match_score desc, incident_rules.complaint_id_a, incident_rules.complaint_id_b
            ) as link_rank,
        from incident_rules
        inner join complaints
            on complaints.complaint_id in (incident_rules.complaint_id_a, incident_rules.complaint_id_b)
        where incident_rules.match_rule = 'similar_words_no_street' and complaints.street is null
    ) as ranked
    where link_rank = 1

)

select
    incident_rules.complaint_id_a,
    incident_rules.complaint_id_b,
    incident_rules.has_same_street,
    incident_rules.is_same_category_l3,
    incident_rules.coordinate_distance_degrees,
    incident_rules.text_similarity,
    incident_rules.match_rule,
    incident_rules.match_score,
    incident_rules.match_rule is not null
    and (
        incident_rules.has_same_street
        or exists (
            select 1
            from streetless_best_link
            where
                streetless_best_link.complaint_id_a = incident_rules.complaint_id_a
                and streetless_best_link.complaint_id_b = incident_rules.complaint_id_b
        )
    ) as is_match,
from incident_rules
