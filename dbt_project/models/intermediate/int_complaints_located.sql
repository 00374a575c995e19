{#- Every complaint with the places and words its texts give (docs/matching.md § Incidents): what
    int_incident_pairs blocks and compares on, and the spots int_incident_components checks
    clusters with. complaint_number numbers the complaints 1..n in complaint_id order, so a < b
    means the same for numbers and ids; both incident models join and index on it.

    Place is read from all of a complaint's texts (content_masked, the anchor record's first):
    the register's roads (seed regions) and the spot after one (an address: a house number or a
    crossing; or a landmark). Vague: no spot, or no street. -#}
{%- set address_pattern = '(\\d+号|与[^与]{2,6}?交叉口)' -%}
{%- set landmark_pattern = '(小区[东南西北]门|菜市场旁|公交站|学校门口|地铁口)' -%}
{#- the register's roads (longest first), read from the seed when the model runs, so the
    patterns are constants (compiled once) -#}
{%- set roads_pattern = seed_values_pattern('regions', "unnest(string_split(street_roads, '|'))") -%}
-- depends_on: {{ ref('regions') }}

with

complaint_texts as (

    -- the texts in order (the anchor's first, then by record_key) by sorting each complaint's list:
    -- string_agg's own order by took 2.3 x as long
    select
        clustered.complaint_id,
        left(
            array_to_string(
                list_transform(
                    list_sort(
                        list(
                            struct_pack(
                                is_other := not clustered.is_anchor,
                                record_key := records.record_key,
                                content := records.content_masked
                            )
                        )
                    ),
                    text -> text.content
                ),
                ''
            ),
            800
        ) as complaint_text,
    from {{ ref('int_complaints_clustered') }} as clustered
    inner join {{ ref('int_complaints_unioned') }} as records on clustered.record_key = records.record_key
    group by clustered.complaint_id

),

complaints as (

    select
        row_number() over (order by survived.complaint_id) as complaint_number,
        survived.complaint_id,
        survived.category_l2,
        survived.category_l3,
        survived.street,
        survived.lat,
        survived.lng,
        survived.received_at,
        coalesce(complaint_texts.complaint_text, '') as complaint_text,
    from {{ ref('int_complaints_survived') }} as survived
    left join complaint_texts on survived.complaint_id = complaint_texts.complaint_id

),

complaint_places as (

    -- every register road the text names, every road + house number or crossing (addresses, e.g.
    -- 醋巷172号) and every road + landmark (e.g. 三店西路公交站: weaker, the problem's own words
    -- can form one); a petition also names the writer's home, so these are sets, and two
    -- complaints share a spot when the sets meet
    select
        complaints.* exclude (complaint_text, compared_code_points),
        list_distinct(
            regexp_extract_all(complaints.complaint_text, {{ roads_pattern }})
        ) as roads,
        list_distinct(
            regexp_extract_all(
                complaints.complaint_text,
                {{ roads_pattern }} || '{{ address_pattern }}'
            )
        ) as addresses,
        list_distinct(
            regexp_extract_all(
                complaints.complaint_text,
                {{ roads_pattern }} || '{{ landmark_pattern }}'
            )
        ) as landmarks,
        -- the distinct character bigrams of the first 160 characters: the words compared
        list_distinct({{ character_bigrams('complaints.compared_code_points') }}) as bigrams,
    from (
        select
            *,
            {{ character_code_points('left(complaint_text, 160)') }} as compared_code_points,
        from complaints
    ) as complaints

)

select
    complaint_number,
    complaint_id,
    category_l2,
    category_l3,
    street,
    lat,
    lng,
    received_at,
    roads,
    addresses,
    landmarks,
    list_sort(list_distinct(list_concat(addresses, landmarks))) as spots,
    len(addresses) + len(landmarks) = 0 or street is null as is_vague,
    bigrams,
from complaint_places
