{#- Persons are only ever their keyed hash (MART.md): `person_key(varchar)` is HMAC-SHA256 with
    ZHIHUI_PII_KEY, registered on every connection by warehouse/duckdb_functions.py.

    person_key_of: the hash of the normalised phone, else of the normalised resident id.
    person_masked_key_of: the hash of a mobile in city_mgmt's masked form `138****1234` (first 3,
    four `*`, last 4), so that a masked reporter meets a full number; a landline has none. A
    mobile the channel sends already masked gives a person_masked_key and no person_key.
    (dbt unit tests override these two macros with the unhashed inputs, so they assert the
    normalised numbers whatever ZHIHUI_PII_KEY is.) -#}
{% macro person_key_of(normalised_phone, normalised_resident_id) -%}
    person_key(coalesce({{ normalised_phone }}, {{ normalised_resident_id }}))
{%- endmacro %}

{% macro person_masked_key_of(normalised_phone, masked_mobile_sent) -%}
    person_key(coalesce({{ masked_mobile(normalised_phone) }}, {{ masked_mobile_sent }}))
{%- endmacro %}

{% macro masked_mobile(normalised_phone) -%}
    case
        when {{ is_mobile(normalised_phone) }}
            then substr({{ normalised_phone }}, 1, 3) || '****' || substr({{ normalised_phone }}, 8, 4)
        when regexp_matches({{ normalised_phone }}, '^1[3-9][0-9][*]{4}[0-9]{4}$') then {{ normalised_phone }}
    end
{%- endmacro %}
