{#- Persons are only ever their keyed hash (MART.md): `person_key(varchar)` is HMAC-SHA256 with
    ZHIHUI_PII_KEY, registered on every connection by warehouse/duckdb_functions.py.

    person_key: of the normalised phone, else of the normalised resident id.
    person_masked_key: of a mobile in city_mgmt's masked form `138****1234` (first 3, four `*`,
    last 4), so that a masked reporter meets a full number; a landline has none. A mobile the
    channel sends already masked gives a person_masked_key and no person_key. -#}
{% macro person_key_of(normalised_phone, normalised_resident_id) -%}
    person_key(coalesce({{ normalised_phone }}, {{ normalised_resident_id }}))
{%- endmacro %}

{% macro masked_mobile(normalised_phone) -%}
    case
        when {{ is_mobile(normalised_phone) }}
            then substr({{ normalised_phone }}, 1, 3) || '****' || substr({{ normalised_phone }}, 8, 4)
        when regexp_matches({{ normalised_phone }}, '^1[3-9][0-9][*]{4}[0-9]{4}$') then {{ normalised_phone }}
    end
{%- endmacro %}
