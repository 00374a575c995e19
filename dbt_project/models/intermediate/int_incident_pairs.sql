{#- Candidate pairs of complaints about the same real-world event, their features and rule
    (docs/matching.md § Incidents has the blocks, rules and figures). int_incident_components
    decides which links hold together.

    Places and words come from int_complaints_located (roads, spots, bigrams, is_vague).
    Blocking is a sorted neighbourhood (a key's complaints in time order, in buckets of
    block_neighbours, vague_neighbours for a vague complaint's keys, meeting only the buckets
    either side): the same spot within incident_window_days; the same road and category_l2 for
    two complaints with coordinates; a vague complaint (no spot, or no street) with its
    category_l2 in its street (anywhere with no street) within vague_window_hours; every block
    with a compatible category_l3.
    Rows: only the pairs a rule took, as two complaint numbers (int_complaints_located holds the
    ids): a strong link (is_match: the same address; with no conflicting addresses the same
    landmark, or the same road within ~150 m) or a vague complaint's vote
    (vague_place_candidate: the same road or similar words). Words are compared only for the
    pairs whose bigram signatures allow the threshold (pair_text_candidates). -#}
{%- set window_days = var('incident_window_days') -%}
{%- set min_text = var('incident_min_text_similarity') -%}
{#- vague_window_hours: a vague complaint's candidates come from this many hours either side -#}
{%- set vague_hours = var('incident_vague_window_hours') -%}
{#- block_neighbours: the size of a sorted-neighbourhood bucket (see complaint_blocks) -#}
{%- set block_neighbours = var('incident_block_neighbours') -%}
{#- vague_neighbours: the same for a vague complaint's blocks (its votes weigh by time apart) -#}
{%- set vague_neighbours = var('incident_vague_neighbours') -%}

with

complaints as (

    -- the complaints with a category_l2 (a block key), with the places int_complaints_located read
    -- as hashes: blocks partition and join on them, and the features compare their lists, at a
    -- third less than on the strings (test hashes_distinct on int_complaints_located: no two share one)
    select
        * replace (
            list_transform(roads, place -> hash(place)) as roads,
            list_transform(addresses, place -> hash(place)) as addresses,
            list_transform(landmarks, place -> hash(place)) as landmarks,
            list_transform(spots, place -> hash(place)) as spots
        ),
    from {{ ref('int_complaints_located') }}
    where category_l2 is not null

),

complaint_blocks as (

    -- a vague complaint's blocks: its category_l2 in its street (block_bucket), and its
    -- category_l2 anywhere for a complaint with no street (category_bucket). A bucket holds
    -- vague_neighbours complaints in time order and meets only the buckets either side, so a
    -- vague complaint is compared with at most 3 x vague_neighbours others per key, however dense
    -- or long the run (sorted neighbourhood); the time window is checked on top
    select
        complaint_number,
        category_l2,
        category_l3,
        street,
        roads,
        spots,
        lat,
        is_vague,
        received_at,
        floor(
            (row_number() over (partition by category_l2, street order by received_at, complaint_number) - 1)
            / {{ vague_neighbours }}
        )::bigint as block_bucket,
        floor(
            (row_number() over (partition by category_l2 order by received_at, complaint_number) - 1)
            / {{ vague_neighbours }}
        )::bigint as category_bucket,
    from complaints

),

complaint_spot_names as (

    select
        complaint_number,
        category_l3,
        received_at,
        unnest(spots) as spot,
    from complaint_blocks

),

complaint_spot_keys as (

    -- one row per complaint and spot (address, crossing or landmark), bucketed in time order
    select
        complaint_number,
        category_l3,
        received_at,
        spot,
        floor(
            (row_number() over (partition by spot order by received_at, complaint_number) - 1) / {{ block_neighbours }}
        )::bigint as spot_bucket,
    from complaint_spot_names

),

spot_probes as (

    -- each spot key again for the bucket before, its own and the one after
    select
        complaint_number,
        category_l3,
        received_at,
        spot,
        unnest([spot_bucket - 1, spot_bucket, spot_bucket + 1]) as spot_bucket,
    from complaint_spot_keys

),

complaint_road_names as (

    select
        complaint_number,
        category_l2,
        category_l3,
        received_at,
        unnest(roads) as road,
    from complaint_blocks
    where lat is not null

),

complaint_road_keys as (

    -- one row per complaint with coordinates and road it names, bucketed in time order
    select
        complaint_number,
        category_l2,
        category_l3,
        received_at,
        road,
        floor(
            (row_number() over (partition by road, category_l2 order by received_at, complaint_number) - 1)
            / {{ block_neighbours }}
        )::bigint as road_bucket,
    from complaint_road_names

),

road_probes as (

    select
        complaint_number,
        category_l2,
        category_l3,
        received_at,
        road,
        unnest([road_bucket - 1, road_bucket, road_bucket + 1]) as road_bucket,
    from complaint_road_keys

),

vague_probes as (

    -- a vague complaint, for its buckets and the buckets either side
    select
        complaint_number,
        category_l2,
        category_l3,
        street,
        received_at,
        unnest([block_bucket - 1, block_bucket, block_bucket + 1]) as block_bucket,
        unnest([category_bucket - 1, category_bucket, category_bucket + 1]) as category_bucket,
    from complaint_blocks
    where is_vague

),

same_spot_pairs as (

    -- the same address, crossing or landmark within the window, whatever category_l2 (channels'
    -- classifiers may disagree on the second level) but with a compatible category_l3
    select distinct
        spot_a.complaint_number as complaint_number_a,
        spot_b.complaint_number as complaint_number_b,
    from complaint_spot_keys as spot_a
    inner join spot_probes as spot_b
        on
            spot_a.spot = spot_b.spot
            and spot_a.spot_bucket = spot_b.spot_bucket
            and spot_a.complaint_number < spot_b.complaint_number
            and coalesce(spot_a.category_l3 = spot_b.category_l3, true)
            and spot_b.received_at between
            spot_a.received_at - interval '{{ window_days }} days'
            and spot_a.received_at + interval '{{ window_days }} days'

),

same_road_pairs as (

    -- complaints with coordinates naming the same road, same category_l2, within the window
    select distinct
        road_a.complaint_number as complaint_number_a,
        road_b.complaint_number as complaint_number_b,
    from complaint_road_keys as road_a
    inner join road_probes as road_b
        on
            road_a.road = road_b.road
            and road_a.category_l2 = road_b.category_l2
            and road_a.road_bucket = road_b.road_bucket
            and road_a.complaint_number < road_b.complaint_number
            and coalesce(road_a.category_l3 = road_b.category_l3, true)
            and road_b.received_at between
            road_a.received_at - interval '{{ window_days }} days'
            and road_a.received_at + interval '{{ window_days }} days'

),

vague_pairs as (

    -- a vague complaint meets the complaints of its category_l2 (compatible category_l3) in its
    -- street within vague_window_hours: the candidates of its vote
    select distinct
        least(vague.complaint_number, candidate.complaint_number) as complaint_number_a,
        greatest(vague.complaint_number, candidate.complaint_number) as complaint_number_b,
    from vague_probes as vague
    inner join complaint_blocks as candidate
        on
            vague.category_l2 = candidate.category_l2
            and vague.street = candidate.street
            and vague.block_bucket = candidate.block_bucket
            and vague.complaint_number != candidate.complaint_number
            and coalesce(vague.category_l3 = candidate.category_l3, true)
            and candidate.received_at between
            vague.received_at - interval '{{ vague_hours }} hours'
            and vague.received_at + interval '{{ vague_hours }} hours'

),

streetless_pairs as (

    -- a complaint with no street meets its category_l2 in every street, within vague_window_hours
    select distinct
        least(vague.complaint_number, candidate.complaint_number) as complaint_number_a,
        greatest(vague.complaint_number, candidate.complaint_number) as complaint_number_b,
    from vague_probes as vague
    inner join complaint_blocks as candidate
        on
            vague.category_l2 = candidate.category_l2
            and vague.category_bucket = candidate.category_bucket
            and vague.complaint_number != candidate.complaint_number
            and coalesce(vague.category_l3 = candidate.category_l3, true)
            and candidate.received_at between
            vague.received_at - interval '{{ vague_hours }} hours'
            and vague.received_at + interval '{{ vague_hours }} hours'
    where vague.street is null

),

blocked_pairs as (

    select distinct
        blocked.complaint_number_a,
        blocked.complaint_number_b,
    from (
        select *, from same_spot_pairs
        union all
        select *, from same_road_pairs
        union all
        select *, from vague_pairs
        union all
        select *, from streetless_pairs
    ) as blocked

),

complaint_features as (

    -- what a pair's features read of each side: places, not words (complaint_bigrams)
    select
        complaint_number,
        category_l3,
        lat,
        lng,
        received_at,
        roads,
        addresses,
        landmarks,
        is_vague,
    from complaints

),

complaint_bigrams as (

    select
        complaint_number,
        bigrams,
    from complaints

),

complaint_bigram_signatures as (

    -- a complaint's bigrams hashed into 512 buckets: the buckets that hold one, and how many
    -- bigrams there are. Two complaints share at most bit_count(buckets_a & buckets_b) +
    -- least(its collisions, the other's) bigrams (a collision: a bigram in a bucket already held),
    -- a bound that rules out most compared pairs before their bigram lists meet. The buckets are
    -- held as 8 UBIGINT words (cut from the bitstring: the same bit order on both sides), whose
    -- AND and bit_count cost a third of the bitstring's per pair. bit_count is a TINYINT: its counts
    -- are added as integers (two long texts alike share more than 127 buckets)
    select
        complaint_number,
        n_bigrams,
        n_bigrams - bit_count(buckets) as n_collisions,
        {%- for word in range(8) %}
            substring(buckets::varchar, {{ 1 + 64 * word }}, 64)::bit::ubigint as bucket_word_{{ word }},
        {%- endfor %}
    from (
        select
            complaint_number,
            bitstring_agg((hash(bigram) % 512)::integer, 0, 511) as buckets,
            count(*) as n_bigrams,
        from (
            select
                complaint_number,
                unnest(bigrams) as bigram,
            from complaint_bigrams
        ) as complaint_bigram_rows
        group by complaint_number
    ) as complaint_buckets

),

pair_places as (

    -- numbers, flags and distances: ~130 M rows at the target scale
    select
        blocked_pairs.complaint_number_a,
        blocked_pairs.complaint_number_b,
        len(place_a.addresses) > 0 and len(place_b.addresses) > 0 as has_both_addresses,
        list_has_any(place_a.addresses, place_b.addresses) as is_same_address,
        list_has_any(place_a.landmarks, place_b.landmarks) as is_same_landmark,
        list_has_any(place_a.roads, place_b.roads) as is_same_road,
        coalesce(place_a.category_l3 = place_b.category_l3, true) as is_compatible_category_l3,
        case
            when place_a.lat is null or place_b.lat is null then null
            else greatest(abs(place_a.lat - place_b.lat), abs(place_a.lng - place_b.lng))
        end as coordinate_distance_degrees,
        abs(epoch(place_a.received_at) - epoch(place_b.received_at)) / 3600.0 as hours_apart,
        place_a.is_vague as is_vague_a,
        place_b.is_vague as is_vague_b,
    from blocked_pairs
    inner join complaint_features as place_a on blocked_pairs.complaint_number_a = place_a.complaint_number
    inner join complaint_features as place_b on blocked_pairs.complaint_number_b = place_b.complaint_number

),

pair_flags as (

    -- words only matter for a vague complaint's candidate whose road does not decide
    select
        *,
        (is_vague_a or is_vague_b) and not is_same_road and is_compatible_category_l3 as is_text_compared,
    from pair_places

),

pair_text_candidates as (

    -- the compared pairs whose words could reach min_text_similarity (shared >= t / (1 + t) of
    -- both counts, by the signatures' bound, in doubles; a hair of slack against rounding), and
    -- those whose score reads the words whatever they are (the same address or landmark). The
    -- others can get no rule (docs/matching.md § Incidents): at 30 d x 10,000 a day, 94 % of the
    -- compared pairs
    select
        pair_flags.complaint_number_a,
        pair_flags.complaint_number_b,
    from pair_flags
    inner join complaint_bigram_signatures as signature_a
        on pair_flags.complaint_number_a = signature_a.complaint_number
    inner join complaint_bigram_signatures as signature_b
        on pair_flags.complaint_number_b = signature_b.complaint_number
    where
        pair_flags.is_text_compared
        and (
            pair_flags.is_same_address
            or pair_flags.is_same_landmark
            or (
                {%- for word in range(8) %}
                    bit_count(signature_a.bucket_word_{{ word }} & signature_b.bucket_word_{{ word }})::integer +
                {%- endfor %}
                least(signature_a.n_collisions, signature_b.n_collisions)
            )::double * (1 + {{ min_text }}::double) + 1e-9
            >= {{ min_text }}::double * (signature_a.n_bigrams + signature_b.n_bigrams)
        )

),

pair_shared_bigrams as (

    -- bigrams are distinct per complaint, so the bigrams of a found in b are the intersection
    -- (list_filter with list_contains: a third of list_intersect's time)
    select
        pair_text_candidates.complaint_number_a,
        pair_text_candidates.complaint_number_b,
        len(bigrams_a.bigrams) as n_bigrams_a,
        len(bigrams_b.bigrams) as n_bigrams_b,
        len(list_filter(bigrams_a.bigrams, bigram -> list_contains(bigrams_b.bigrams, bigram))) as n_shared_bigrams,
    from pair_text_candidates
    inner join complaint_bigrams as bigrams_a on pair_text_candidates.complaint_number_a = bigrams_a.complaint_number
    inner join complaint_bigrams as bigrams_b on pair_text_candidates.complaint_number_b = bigrams_b.complaint_number

),

pair_features as (

    -- a left join, not a union of two filtered reads of pair_flags: DuckDB would push the rule
    -- into it, recomputing every list_has_any (60 s at the target scale). text_similarity null:
    -- words not compared, or ruled out by the signatures (no rule can read them then)
    select
        pair_flags.*,
        case
            when shared.complaint_number_a is not null
                then coalesce(
                    shared.n_shared_bigrams
                    / nullif(shared.n_bigrams_a + shared.n_bigrams_b - shared.n_shared_bigrams, 0),
                    0.0
                )
        end as text_similarity,
    from pair_flags
    left join pair_shared_bigrams as shared
        on
            pair_flags.complaint_number_a = shared.complaint_number_a
            and pair_flags.complaint_number_b = shared.complaint_number_b

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
            when hours_apart > {{ window_days }} * 24 then null
            when coordinate_distance_degrees > 0.0015 then null
            when not is_compatible_category_l3 then null
            when is_same_address then 'same_address'
            when has_both_addresses then null
            when is_same_landmark then 'same_landmark'
            when is_same_road and coordinate_distance_degrees is not null then 'same_road_near'
            when
                (is_vague_a or is_vague_b) and hours_apart <= {{ vague_hours }}
                and (is_same_road or text_similarity >= {{ min_text }})
                then 'vague_place_candidate'
        end as match_rule,
    from pair_features

),

pairs_ruled as (

    -- int_incident_components reads only these; at the target scale the others were most of the rows
    select *,
    from incident_rules
    where match_rule is not null

)

select
    pairs_ruled.complaint_number_a,
    pairs_ruled.complaint_number_b,
    pairs_ruled.is_vague_a,
    pairs_ruled.is_vague_b,
    pairs_ruled.has_both_addresses,
    pairs_ruled.is_same_address,
    pairs_ruled.is_same_landmark,
    pairs_ruled.is_same_road,
    pairs_ruled.is_compatible_category_l3,
    pairs_ruled.coordinate_distance_degrees,
    pairs_ruled.text_similarity,
    pairs_ruled.hours_apart,
    pairs_ruled.match_rule,
    pairs_ruled.match_score,
    coalesce(pairs_ruled.match_rule in ('same_address', 'same_landmark', 'same_road_near'), false) as is_match,
from pairs_ruled
