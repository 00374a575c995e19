{#- The district register (seed regions, reference/regions.csv): one row per street and one per
    community, keyed by the register code (9 digits street, 12 digits community). -#}

with

register as (

    select
        cast(district_code as varchar) as district_code,
        district,
        cast(street_code as varchar) as street_code,
        street,
        cast(community_code as varchar) as community_code,
        community,
        street_lat,
        street_lng,
        street_roads,
    from {{ ref('regions') }}

),

streets as (

    select distinct
        street_code as region_code,
        'street' as region_level,
        district_code,
        district,
        street_code,
        street,
        cast(null as varchar) as community_code,
        cast(null as varchar) as community,
        street_roads,
        street_lat as lat,
        street_lng as lng,
    from register

),

communities as (

    select
        community_code as region_code,
        'community' as region_level,
        district_code,
        district,
        street_code,
        street,
        community_code,
        community,
        street_roads,
        street_lat as lat,
        street_lng as lng,
    from register

)

select *, from streets
union all
select *, from communities
