{#- The contract of every stg_<key>__records (docs/architecture.md, "Staging layer"), in its
    order: the channel's `normalised` rows with their `categories` and `places`, and what is
    derived alike for every channel (keys, masking, match text, is_active). The title is public:
    it is masked like content_masked. match_text is made from content_masked, so no number or
    name reaches it either.

    `normalised` has, besides the contract's own columns: phone (normalise_phone), resident_id
    (normalise_resident_id), masked_mobile_sent (a mobile the channel itself sent masked,
    `138****1234`: city_mgmt), is_merged (closed by the channel into another record). -#}
{% macro staging_record_select(normalised, categories='categories', places='places') -%}
    select
        {{ normalised }}.record_key,
        {{ normalised }}.channel,
        {{ normalised }}.source_record_id,
        {{ normalised }}.parent_source_record_id,
        {{ person_key_of(normalised ~ '.phone', normalised ~ '.resident_id') }} as person_key,
        {{ person_masked_key_of(normalised ~ '.phone', normalised ~ '.masked_mobile_sent') }} as person_masked_key,
        {{ normalised }}.appeal_type,
        {{ normalised }}.source_category,
        {{ categories }}.category_l1,
        {{ categories }}.category_l2,
        {{ categories }}.category_l3,
        {{ categories }}.category_method,
        cast({{ categories }}.category_score as double) as category_score,
        {{ places }}.district,
        {{ places }}.street,
        {{ places }}.community,
        {{ places }}.region_code,
        coalesce({{ places }}.is_in_register, false) as is_in_register,
        cast({{ normalised }}.lat as double) as lat,
        cast({{ normalised }}.lng as double) as lng,
        {{ normalised }}.address,
        {{ normalised }}.title_masked as title,
        {{ normalised }}.content,
        {{ normalised }}.content_masked,
        {{ match_text_folded(normalised ~ '.match_letters') }} as match_text,
        {{ normalised }}.person_name,
        {{ normalised }}.person_address,
        {{ normalised }}.status,
        {{ normalised }}.raw_status,
        {{ normalised }}.handling_unit,
        {{ normalised }}.satisfaction,
        {{ normalised }}.is_resolved,
        not (
            coalesce({{ normalised }}.is_withdrawn, false)
            or coalesce({{ normalised }}.is_rejected, false)
            or coalesce({{ normalised }}.is_merged, false)
        ) as is_active,
        coalesce({{ normalised }}.is_withdrawn, false) as is_withdrawn,
        coalesce({{ normalised }}.is_rejected, false) as is_rejected,
        {{ normalised }}.received_at,
        {{ normalised }}.dispatched_at,
        {{ normalised }}.finished_at,
        {{ normalised }}.evaluated_at,
        {{ normalised }}.deadline,
        {{ normalised }}.load_id,
        {{ normalised }}.loaded_at,
    from (
        select
            *,
            {{ match_letters(nfc_if_needed('content_masked')) }} as match_letters,
        from (
            select
                *,
                {{ mask_own_person(mask_personal_numbers('title'), 'person_name', 'person_address') }} as title_masked,
                {{ mask_own_person(mask_personal_numbers('content'), 'person_name', 'person_address') }} as content_masked,
            from {{ normalised }}
        ) as masked
    ) as {{ normalised }}
    left join {{ categories }}
        on {{ normalised }}.record_key = {{ categories }}.record_key
    left join {{ places }}
        on {{ normalised }}.record_key = {{ places }}.record_key
{%- endmacro %}

{#- The contract of every stg_<key>__status_events: one row per status a record is known to have
    reached, at the earliest moment known, from `events` (record's source_record_id, status,
    status_at, raw_status) gathered from every landed version and the milestone timestamps. -#}
{% macro status_event_select(events, channel) -%}
    select
        '{{ channel }}:' || source_record_id as record_key,
        '{{ channel }}' as channel,
        source_record_id,
        status,
        min(status_at) as status_at,
        arg_min(raw_status, status_at) as raw_status,
    from {{ events }}
    where status is not null and status_at is not null
    group by source_record_id, status
{%- endmacro %}
