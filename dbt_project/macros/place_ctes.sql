{#- Places matched onto the district register `regions` (docs/normalisation.md, "Places"), as a
    chain of CTEs ending in `places` (record_key, district, street, community, region_code,
    is_in_register).

    `input` has record_key, district_sent, street_sent, community_sent, grid_code, place_text
    (free text naming the place: address, region pick, content), lat and lng (WGS-84).

    Sent in another district (district_sent not a register district): stays as sent, outside.
    Otherwise, most precise first:
    community  grid code; the community named by the channel; a community named in place_text
               (each only when it lies in the street the channel or the text names, if any);
    street     the community's; the street named by the channel; a street named in place_text;
               a register road named in place_text (roads in one street only); the nearest
               street centre when the point lies inside the register's bounding box (street
               centres +- 0.02 degrees, about 2 km);
    district   the street's; the register district named by the channel or in place_text.
    region_code is the most precise code matched (community 12 or street 9 digits; null when
    only the district is known); is_in_register is true from the district on. Names are the
    register's where matched, else as sent. -#}
{% macro place_ctes(input) -%}
{%- set community_pattern = seed_values_pattern('regions', 'community') -%}
{%- set street_pattern = seed_values_pattern('regions', 'street') -%}
{%- set district_pattern = seed_values_pattern('regions', 'district') -%}
{%- set road_pattern = seed_values_pattern('regions', "unnest(string_split(street_roads, '|'))") -%}
register_communities as (

    select
        community_code,
        any_value(community) as community,
        any_value(street_code) as street_code,
    from {{ ref('regions') }}
    group by community_code

),

register_community_names as (

    select
        community,
        any_value(community_code) as community_code,
        any_value(street_code) as street_code,
    from {{ ref('regions') }}
    group by community
    having count(distinct community_code) = 1

),

register_streets as (

    select
        street_code,
        any_value(street) as street,
        any_value(district_code) as district_code,
        any_value(district) as district,
        any_value(street_lat) as street_lat,
        any_value(street_lng) as street_lng,
    from {{ ref('regions') }}
    group by street_code

),

register_street_names as (

    select
        street,
        any_value(street_code) as street_code,
    from register_streets
    group by street
    having count(*) = 1

),

register_roads as (

    select
        road,
        any_value(street_code) as street_code,
    from (
        select distinct
            street_code,
            unnest(string_split(street_roads, '|')) as road,
        from {{ ref('regions') }}
    ) as roads
    group by road
    having count(distinct street_code) = 1

),

register_districts as (

    select
        district,
        any_value(district_code) as district_code,
    from {{ ref('regions') }}
    group by district

),

register_bounds as (

    select
        min(street_lat) - 0.02 as lat_min,
        max(street_lat) + 0.02 as lat_max,
        min(street_lng) - 0.02 as lng_min,
        max(street_lng) + 0.02 as lng_max,
    from register_streets

),

place_mentions as (

    select
        record_key,
        nullif(regexp_extract(place_text, {{ community_pattern }}), '') as community_mentioned,
        nullif(regexp_extract(place_text, {{ street_pattern }}), '') as street_mentioned,
        nullif(regexp_extract(place_text, {{ road_pattern }}), '') as road_mentioned,
        nullif(regexp_extract(place_text, {{ district_pattern }}), '') as district_mentioned,
    from {{ input }}
    where place_text is not null

),

nearest_streets as (

    select
        {{ input }}.record_key,
        arg_min(
            register_streets.street_code,
            power({{ input }}.lat - register_streets.street_lat, 2)
            + power(({{ input }}.lng - register_streets.street_lng) * cos(radians({{ input }}.lat)), 2)
        ) as street_code,
    from {{ input }}
    cross join register_bounds
    cross join register_streets
    where
        {{ input }}.lat between register_bounds.lat_min and register_bounds.lat_max
        and {{ input }}.lng between register_bounds.lng_min and register_bounds.lng_max
    group by {{ input }}.record_key

),

place_candidates as (

    select
        {{ input }}.record_key,
        {{ input }}.district_sent,
        {{ input }}.street_sent,
        {{ input }}.community_sent,
        {{ input }}.district_sent is not null and district_sent_known.district is null as is_sent_outside,
        community_by_grid.community_code as grid_community_code,
        community_by_name.community_code as named_community_code,
        community_by_name.street_code as named_community_street_code,
        street_by_name.street_code as named_street_code,
        community_by_text.community_code as text_community_code,
        community_by_text.street_code as text_community_street_code,
        street_by_text.street_code as text_street_code,
        street_by_road.street_code as road_street_code,
        nearest_streets.street_code as nearest_street_code,
        coalesce(district_sent_known.district_code, district_by_text.district_code) as named_district_code,
    from {{ input }}
    left join register_districts as district_sent_known
        on {{ input }}.district_sent = district_sent_known.district
    left join register_communities as community_by_grid
        on {{ input }}.grid_code = community_by_grid.community_code
    left join register_community_names as community_by_name
        on {{ input }}.community_sent = community_by_name.community
    left join register_street_names as street_by_name
        on {{ input }}.street_sent = street_by_name.street
    left join place_mentions
        on {{ input }}.record_key = place_mentions.record_key
    left join register_community_names as community_by_text
        on place_mentions.community_mentioned = community_by_text.community
    left join register_street_names as street_by_text
        on place_mentions.street_mentioned = street_by_text.street
    left join register_roads as street_by_road
        on place_mentions.road_mentioned = street_by_road.road
    left join register_districts as district_by_text
        on place_mentions.district_mentioned = district_by_text.district
    left join nearest_streets
        on {{ input }}.record_key = nearest_streets.record_key

),

place_communities as (

    select
        *,
        case
            when is_sent_outside then null
            else coalesce(
                grid_community_code,
                case
                    when named_street_code is null or named_community_street_code = named_street_code
                        then named_community_code
                end,
                case
                    when coalesce(named_street_code, text_street_code) is null
                        or text_community_street_code = coalesce(named_street_code, text_street_code)
                        then text_community_code
                end
            )
        end as community_code,
    from place_candidates

),

place_streets as (

    select
        place_communities.*,
        case
            when place_communities.is_sent_outside then null
            else coalesce(
                matched_community.street_code,
                place_communities.named_street_code,
                place_communities.text_street_code,
                place_communities.road_street_code,
                place_communities.nearest_street_code
            )
        end as street_code,
    from place_communities
    left join register_communities as matched_community
        on place_communities.community_code = matched_community.community_code

),

places as (

    select
        place_streets.record_key,
        coalesce(matched_street.district, matched_district.district, place_streets.district_sent) as district,
        coalesce(matched_street.street, place_streets.street_sent) as street,
        coalesce(matched_community.community, place_streets.community_sent) as community,
        coalesce(place_streets.community_code, place_streets.street_code) as region_code,
        coalesce(
            place_streets.community_code,
            place_streets.street_code,
            case when not place_streets.is_sent_outside then place_streets.named_district_code end
        ) is not null as is_in_register,
    from place_streets
    left join register_communities as matched_community
        on place_streets.community_code = matched_community.community_code
    left join register_streets as matched_street
        on place_streets.street_code = matched_street.street_code
    left join register_districts as matched_district
        on
            place_streets.named_district_code = matched_district.district_code
            and not place_streets.is_sent_outside

)
{%- endmacro %}
