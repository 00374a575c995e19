{#- One row per complaint: survivorship of every attribute over the complaint's records
    (docs/matching.md § Survivorship). Each rule is a filtered aggregate of one `group by`: one
    hash aggregate that spills to disk, where a CTE per rule joined back by complaint_id held ten
    hash tables of 3 M complaints at once (out of memory under a 5GB limit at the target scale). -#}

with

clustered_records as (

    select
        clustered.complaint_id,
        clustered.is_anchor,
        records.source_record_id,
        records.channel,
        records.person_key,
        records.appeal_type,
        records.category_l1,
        records.category_l2,
        records.category_l3,
        records.category_score,
        records.district,
        records.street,
        records.community,
        records.region_code,
        records.is_in_register,
        records.lat,
        records.lng,
        records.title,
        records.content_masked,
        records.status,
        records.handling_unit,
        records.satisfaction,
        records.is_resolved,
        records.is_active,
        records.is_withdrawn,
        records.received_at,
        records.dispatched_at,
        records.finished_at,
        records.evaluated_at,
        records.deadline,
        records.loaded_at,
        records.channel_rank,
        records.is_handling_channel,
        case
            when records.status = 'received' then 1
            when records.status = 'dispatched' then 2
            when records.status = 'processing' then 3
            when records.status = 'finished' then 4
            when records.status = 'evaluated' then 5
        end as status_rank,
    from {{ ref('int_complaints_clustered') }} as clustered
    inner join {{ ref('int_complaints_unioned') }} as records on clustered.record_key = records.record_key

),

complaints as (

    select
        complaint_id,

        -- the anchor (earliest record) gives the complaint its time, first channel, text and
        -- person; a record whose own time was never seen (a minsheng withdrawal known by its id)
        -- falls back on when it was landed
        first(coalesce(received_at, loaded_at)) filter (where is_anchor) as received_at,
        first(channel) filter (where is_anchor) as first_channel,
        coalesce(first(title) filter (where is_anchor), min(title) filter (where title is not null)) as title,
        first(content_masked) filter (where is_anchor) as content,
        coalesce(first(person_key) filter (where is_anchor), min(person_key)) as person_key,
        count(*) as n_records,
        bool_or(is_handling_channel) as has_handling_channel,

        -- the channels that carried it, in channel order (var channels, whose loop index is
        -- channel_rank): a flag per channel, not an ordered list aggregate (a sort per complaint)
        list_filter(
            [
                {%- for channel in var('channels') %}
                    case when bool_or(channel = '{{ channel }}') then '{{ channel }}' end,
                {%- endfor %}
            ],
            lambda channel_key: channel_key is not null
        ) as channels,

        first(
            appeal_type
            order by channel_rank, received_at, source_record_id
        ) filter (where appeal_type is not null) as appeal_type,

        -- the most certain classification: a channel mapping (1.0) over a keyword score, then the
        -- most specific, then channel order
        first(
            struct_pack(category_l1, category_l2, category_l3)
            order by
                category_score desc nulls last,
                (category_l3 is null),
                (category_l2 is null),
                channel_rank asc,
                received_at asc,
                source_record_id asc
        ) filter (where category_l1 is not null) as category,

        -- a place matched on the register, the most precise first (community, then street)
        first(
            struct_pack(district, street, community, region_code)
            order by
                is_in_register desc nulls last,
                (community is null),
                (street is null),
                channel_rank asc,
                received_at asc,
                source_record_id asc
        ) filter (where coalesce(district, street, community) is not null) as place,

        first(
            struct_pack(lat, lng)
            order by channel_rank, received_at, source_record_id
        ) filter (where lat is not null and lng is not null) as coordinates,

        -- furthest status reached by the active records; with none active, withdrawn if any
        -- record was withdrawn, else rejected (MART.md)
        case
            when max(status_rank) filter (where is_active) is not null
                then
                    case max(status_rank) filter (where is_active)
                        when 1 then 'received'
                        when 2 then 'dispatched'
                        when 3 then 'processing'
                        when 4 then 'finished'
                        when 5 then 'evaluated'
                    end
            when bool_or(is_withdrawn) then 'withdrawn'
            else 'rejected'
        end as status,
        min(dispatched_at) filter (where is_active) as dispatched_at,
        min(finished_at) filter (where is_active and status_rank >= 4) as finished_at,
        min(deadline) filter (where is_active) as deadline,

        -- the unit of the furthest-advanced active record, the most recently dispatched first
        first(
            handling_unit
            order by
                is_active desc, status_rank desc nulls last, dispatched_at desc nulls last, channel_rank asc,
                source_record_id asc
        ) filter (where handling_unit is not null and handling_unit != '') as handling_unit,

        -- satisfaction and is_resolved come from the complaint's latest evaluation
        first(
            struct_pack(satisfaction, is_resolved, evaluated_at)
            order by evaluated_at desc nulls last, loaded_at desc, channel_rank asc, source_record_id asc
        ) filter (where satisfaction is not null or is_resolved is not null or evaluated_at is not null) as evaluation,
        max(evaluated_at) as evaluated_at,
    from clustered_records
    group by complaint_id
    -- (every complaint has its anchor)
    having bool_or(is_anchor)

)

select
    complaint_id,
    first_channel,
    channels,
    appeal_type,
    struct_extract(category, 'category_l1') as category_l1,
    struct_extract(category, 'category_l2') as category_l2,
    struct_extract(category, 'category_l3') as category_l3,
    struct_extract(place, 'district') as district,
    struct_extract(place, 'street') as street,
    struct_extract(place, 'community') as community,
    struct_extract(place, 'region_code') as region_code,
    struct_extract(coordinates, 'lat') as lat,
    struct_extract(coordinates, 'lng') as lng,
    title,
    content,
    person_key,
    status,
    handling_unit,
    struct_extract(evaluation, 'satisfaction') as satisfaction,
    n_records,
    struct_extract(evaluation, 'is_resolved') as is_resolved,
    status = 'withdrawn' as is_withdrawn,
    status != 'rejected' as is_valid,
    has_handling_channel,
    received_at,
    dispatched_at,
    finished_at,
    evaluated_at,
    deadline,
from complaints
