{#- Candidate pairs of complaints about the same real-world event, their features and rule
    (docs/matching.md § Incidents).

    Place in the text: the road (from the register's street_roads, seed regions) and the spot after
    it (a house number, a crossing, a gate or landmark) are read from all of a complaint's texts.
    Blocking: the same category_l2 (and a compatible category_l3) within incident_window_days, in
    the same street (a complaint with no street meets its category_l2 anywhere).
    Text is the records' content_masked (a petitioner's own home address is masked there).
    Strong link, for a compatible category_l3: the same address (road + house number or crossing;
    blocked on it too, whatever category_l2), or, with no conflicting addresses, the same
    landmark or the same road with coordinates within ~150 m. Weak link: a complaint whose spot, road or street is unknown joins only
    its single best candidate (a precisely placed one first, then most similar words, then nearest
    in time), so a vague complaint can
    never chain two events together. Coordinates further apart than ~150 m veto any link. -#}
{%- set window_days = var('incident_window_days') -%}
{%- set min_text = var('incident_min_text_similarity') -%}
{%- set address_pattern = '(\\d+号|与[^与]{2,6}?交叉口)' -%}
{%- set landmark_pattern = '(小区[东南西北]门|菜市场旁|公交站|学校门口|地铁口)' -%}
{#- the register's roads, read when the model runs, so the patterns are constants (compiled once) -#}
{%- set roads_pattern = '' -%}
{%- if execute -%}
    {%- set road_rows = run_query(
        "select distinct unnest(string_split(street_roads, '|')) as road from " ~ ref('regions') ~ " order by road"
    ) -%}
    {%- set roads_pattern = road_rows.columns[0].values() | join('|') -%}
{%- endif -%}
-- depends_on: {{ ref('regions') }}

with

complaint_texts as (

    select
        clustered.complaint_id,
        left(string_agg(records.content_masked, '' order by clustered.is_anchor desc, records.record_key asc), 800)
            as complaint_text,
    from {{ ref('int_complaints_clustered') }} as clustered
    inner join {{ ref('int_complaints_unioned') }} as records on clustered.record_key = records.record_key
    group by clustered.complaint_id

),

complaints as (

    select
        survived.complaint_id,
        survived.category_l2,
        survived.category_l3,
        survived.street,
        survived.lat,
        survived.lng,
        survived.received_at,
        coalesce(complaint_texts.complaint_text, '') as complaint_text,
    from {{ ref('int_complaints_survived') }} as survived
    inner join complaint_texts on survived.complaint_id = complaint_texts.complaint_id
    where survived.category_l2 is not null

),

complaint_places as (

    -- every register road the text names, every road + house number or crossing (addresses, e.g.
    -- 醋巷172号) and every road + landmark (e.g. 三店西路公交站: weaker, the problem's own words
    -- can form one); a petition also names the writer's home, so these are sets, and two
    -- complaints share a spot when the sets meet
    select
        complaints.*,
        list_distinct(
            regexp_extract_all(complaints.complaint_text, '({{ roads_pattern }})')
        ) as roads,
        list_distinct(
            regexp_extract_all(
                complaints.complaint_text,
                '(?:{{ roads_pattern }}){{ address_pattern }}'
            )
        ) as addresses,
        list_distinct(
            regexp_extract_all(
                complaints.complaint_text,
                '(?:{{ roads_pattern }}){{ landmark_pattern }}'
            )
        ) as landmarks,
        list_distinct(
            list_transform(
                range(1, greatest(length(left(complaints.complaint_text, 160)), 2)),
                position -> substr(complaints.complaint_text, position, 2)
            )
        ) as bigrams,
    from complaints

),

same_street_pairs as (

    select
        place_a.complaint_id as complaint_id_a,
        place_b.complaint_id as complaint_id_b,
    from complaint_places as place_a
    inner join complaint_places as place_b
        on
            place_a.category_l2 = place_b.category_l2
            and place_a.street = place_b.street
            and place_a.complaint_id < place_b.complaint_id
            and coalesce(place_a.category_l3 = place_b.category_l3, true)
            and place_b.received_at between
            place_a.received_at - interval '{{ window_days }} days'
            and place_a.received_at + interval '{{ window_days }} days'

),

complaint_addresses as (

    select
        complaint_id,
        received_at,
        unnest(addresses) as address,
    from complaint_places

),

same_address_pairs as (

    -- the same road + house number or crossing within the window, whatever category_l2 (channels'
    -- classifiers may disagree on the second level)
    select distinct
        address_a.complaint_id as complaint_id_a,
        address_b.complaint_id as complaint_id_b,
    from complaint_addresses as address_a
    inner join complaint_addresses as address_b
        on
            address_a.address = address_b.address
            and address_a.complaint_id < address_b.complaint_id
            and address_b.received_at between
            address_a.received_at - interval '{{ window_days }} days'
            and address_a.received_at + interval '{{ window_days }} days'

),

streetless_pairs as (

    -- a complaint with no street meets every complaint of its category_l2 in the window
    select
        least(streetless.complaint_id, candidate.complaint_id) as complaint_id_a,
        greatest(streetless.complaint_id, candidate.complaint_id) as complaint_id_b,
    from complaint_places as streetless
    inner join complaint_places as candidate
        on
            streetless.category_l2 = candidate.category_l2
            and coalesce(streetless.category_l3 = candidate.category_l3, true)
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
        len(place_a.addresses) > 0 and len(place_b.addresses) > 0 as has_both_addresses,
        list_has_any(place_a.addresses, place_b.addresses) as is_same_address,
        list_has_any(place_a.landmarks, place_b.landmarks) as is_same_landmark,
        list_has_any(place_a.roads, place_b.roads) as is_same_road,
        coalesce(place_a.category_l3 = place_b.category_l3, true) as is_compatible_category_l3,
        case
            when place_a.lat is null or place_b.lat is null then null
            else greatest(abs(place_a.lat - place_b.lat), abs(place_a.lng - place_b.lng))
        end as coordinate_distance_degrees,
        case
            -- words only matter for a vague complaint's weak link, where no address decides
            when list_has_any(place_a.addresses, place_b.addresses) then null
            when
                len(place_a.addresses) + len(place_a.landmarks) > 0 and place_a.street is not null
                and len(place_b.addresses) + len(place_b.landmarks) > 0 and place_b.street is not null
                then null
            else
                coalesce(
                    len(list_intersect(place_a.bigrams, place_b.bigrams))
                    / nullif(len(list_distinct(list_concat(place_a.bigrams, place_b.bigrams))), 0),
                    0.0
                )
        end as text_similarity,
        abs(epoch(place_a.received_at) - epoch(place_b.received_at)) / 3600.0 as hours_apart,
        len(place_a.addresses) + len(place_a.landmarks) = 0 or place_a.street is null as is_vague_a,
        len(place_b.addresses) + len(place_b.landmarks) = 0 or place_b.street is null as is_vague_b,
    from (
        select *, from same_street_pairs
        union
        select *, from same_address_pairs
        union
        select *, from streetless_pairs
    ) as blocked
    inner join complaint_places as place_a on blocked.complaint_id_a = place_a.complaint_id
    inner join complaint_places as place_b on blocked.complaint_id_b = place_b.complaint_id

),

incident_rules as (

    select
        *,
        round(
            0.4 * (is_same_address or is_same_landmark)::int
            + 0.2 * is_same_road::int
            + 0.1 * is_compatible_category_l3::int
            + 0.3 * least(1.0, coalesce(text_similarity, 1.0) / 0.5),
            4
        ) as match_score,
        case
            when coordinate_distance_degrees > 0.0015 then null
            when not is_compatible_category_l3 then null
            when is_same_address then 'same_address'
            when has_both_addresses then null
            when is_same_landmark then 'same_landmark'
            when is_same_road and coordinate_distance_degrees is not null then 'same_road_near'
            when is_same_road or text_similarity >= {{ min_text }} then 'vague_place_best_candidate'
        end as match_rule,
    from pair_features

),

weak_link_ends as (

    -- every vague complaint keeps only its best weak link, to a precisely placed complaint if any
    select
        complaint_id_a as vague_complaint_id,
        complaint_id_a,
        complaint_id_b,
        is_vague_b as is_partner_vague,
        match_score,
        hours_apart,
    from incident_rules
    where match_rule = 'vague_place_best_candidate' and is_vague_a

    union all

    select
        complaint_id_b as vague_complaint_id,
        complaint_id_a,
        complaint_id_b,
        is_vague_a as is_partner_vague,
        match_score,
        hours_apart,
    from incident_rules
    where match_rule = 'vague_place_best_candidate' and is_vague_b

),

best_weak_links as (

    select distinct
        complaint_id_a,
        complaint_id_b,
    from weak_link_ends
    qualify row_number() over (
        partition by vague_complaint_id
        order by is_partner_vague asc, match_score desc, hours_apart asc, complaint_id_a asc, complaint_id_b asc
    ) = 1

)

select
    incident_rules.complaint_id_a,
    incident_rules.complaint_id_b,
    incident_rules.has_both_addresses,
    incident_rules.is_same_address,
    incident_rules.is_same_landmark,
    incident_rules.is_same_road,
    incident_rules.is_compatible_category_l3,
    incident_rules.coordinate_distance_degrees,
    incident_rules.text_similarity,
    incident_rules.hours_apart,
    incident_rules.match_rule,
    incident_rules.match_score,
    incident_rules.match_rule in ('same_address', 'same_landmark', 'same_road_near')
    or best_weak_links.complaint_id_a is not null as is_match,
from incident_rules
left join best_weak_links
    on
        incident_rules.complaint_id_a = best_weak_links.complaint_id_a
        and incident_rules.complaint_id_b = best_weak_links.complaint_id_b
