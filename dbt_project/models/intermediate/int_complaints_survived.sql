{#- One row per complaint: survivorship of every attribute over the complaint's records.
    Each rule is its own CTE (docs/matching.md § Survivorship). -#}

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

complaint_origin as (

    -- the anchor (earliest record) gives the complaint its time, first channel, text and person;
    -- a record whose own time was never seen (a minsheng withdrawal known by its id) falls back
    -- on when it was landed
    select
        complaint_id,
        coalesce(received_at, loaded_at) as received_at,
        channel as first_channel,
        title,
        content_masked as content,
        person_key,
    from clustered_records
    where is_anchor

),

complaint_membership as (

    select
        complaint_id,
        count(*) as n_records,
        bool_or(is_handling_channel) as has_handling_channel,
        min(person_key) as any_person_key,
        min(title) filter (where title is not null) as any_title,
    from clustered_records
    group by complaint_id

),

complaint_channels as (

    -- the channels that carried it, in channel order (var channels, whose loop index is
    -- channel_rank): a flag per channel, not an ordered list aggregate (a sort per complaint)
    select
        complaint_id,
        list_filter(
            [
                {%- for channel in var('channels') %}
                    case when bool_or(channel = '{{ channel }}') then '{{ channel }}' end,
                {%- endfor %}
            ],
            lambda channel_key: channel_key is not null
        ) as channels,
    from clustered_records
    group by complaint_id

),

appeal_type_survivor as (

    select
        complaint_id,
        first(appeal_type order by channel_rank, received_at, source_record_id) as appeal_type,
    from clustered_records
    where appeal_type is not null
    group by complaint_id

),

category_survivor as (

    -- the most certain classification: a channel mapping (1.0) over a keyword score, then the
    -- most specific, then channel order
    select
        complaint_id,
        first(
            struct_pack(category_l1, category_l2, category_l3)
            order by
                category_score desc nulls last,
                (category_l3 is null),
                (category_l2 is null),
                channel_rank asc,
                received_at asc,
                source_record_id asc
        ) as category,
    from clustered_records
    where category_l1 is not null
    group by complaint_id

),

place_survivor as (

    -- a place matched on the register, the most precise first (community, then street)
    select
        complaint_id,
        first(
            struct_pack(district, street, community, region_code)
            order by
                is_in_register desc nulls last,
                (community is null),
                (street is null),
                channel_rank asc,
                received_at asc,
                source_record_id asc
        ) as place,
    from clustered_records
    where coalesce(district, street, community) is not null
    group by complaint_id

),

coordinates_survivor as (

    select
        complaint_id,
        first(struct_pack(lat, lng) order by channel_rank, received_at, source_record_id) as coordinates,
    from clustered_records
    where lat is not null and lng is not null
    group by complaint_id

),

status_rollup as (

    -- furthest status reached by the active records; with none active, withdrawn if any record
    -- was withdrawn, else rejected (MART.md)
    select
        complaint_id,
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
        coalesce(bool_or(is_active), false) as has_active_record,
    from clustered_records
    group by complaint_id

),

handling_unit_survivor as (

    -- the unit of the furthest-advanced active record, the most recently dispatched first
    select
        complaint_id,
        first(
            handling_unit
            order by is_active desc, status_rank desc nulls last, dispatched_at desc nulls last, channel_rank asc
        ) as handling_unit,
    from clustered_records
    where handling_unit is not null and handling_unit != ''
    group by complaint_id

),

evaluation_latest as (

    -- satisfaction and is_resolved come from the complaint's latest evaluation
    select
        complaint_id,
        first(
            struct_pack(satisfaction, is_resolved, evaluated_at)
            order by evaluated_at desc nulls last, loaded_at desc, channel_rank asc
        ) as evaluation,
        max(evaluated_at) as evaluated_at,
    from clustered_records
    where satisfaction is not null or is_resolved is not null or evaluated_at is not null
    group by complaint_id

)

select
    complaint_origin.complaint_id,
    complaint_origin.first_channel,
    complaint_channels.channels,
    appeal_type_survivor.appeal_type,
    struct_extract(category_survivor.category, 'category_l1') as category_l1,
    struct_extract(category_survivor.category, 'category_l2') as category_l2,
    struct_extract(category_survivor.category, 'category_l3') as category_l3,
    struct_extract(place_survivor.place, 'district') as district,
    struct_extract(place_survivor.place, 'street') as street,
    struct_extract(place_survivor.place, 'community') as community,
    struct_extract(place_survivor.place, 'region_code') as region_code,
    struct_extract(coordinates_survivor.coordinates, 'lat') as lat,
    struct_extract(coordinates_survivor.coordinates, 'lng') as lng,
    coalesce(complaint_origin.title, complaint_membership.any_title) as title,
    complaint_origin.content,
    coalesce(complaint_origin.person_key, complaint_membership.any_person_key) as person_key,
    status_rollup.status,
    handling_unit_survivor.handling_unit,
    struct_extract(evaluation_latest.evaluation, 'satisfaction') as satisfaction,
    complaint_membership.n_records,
    struct_extract(evaluation_latest.evaluation, 'is_resolved') as is_resolved,
    status_rollup.status = 'withdrawn' as is_withdrawn,
    status_rollup.status != 'rejected' as is_valid,
    complaint_membership.has_handling_channel,
    complaint_origin.received_at,
    status_rollup.dispatched_at,
    status_rollup.finished_at,
    evaluation_latest.evaluated_at,
    status_rollup.deadline,
from complaint_origin
inner join complaint_membership on complaint_origin.complaint_id = complaint_membership.complaint_id
inner join complaint_channels on complaint_origin.complaint_id = complaint_channels.complaint_id
inner join status_rollup on complaint_origin.complaint_id = status_rollup.complaint_id
left join appeal_type_survivor on complaint_origin.complaint_id = appeal_type_survivor.complaint_id
left join category_survivor on complaint_origin.complaint_id = category_survivor.complaint_id
left join place_survivor on complaint_origin.complaint_id = place_survivor.complaint_id
left join coordinates_survivor on complaint_origin.complaint_id = coordinates_survivor.complaint_id
left join handling_unit_survivor on complaint_origin.complaint_id = handling_unit_survivor.complaint_id
left join evaluation_latest on complaint_origin.complaint_id = evaluation_latest.complaint_id
