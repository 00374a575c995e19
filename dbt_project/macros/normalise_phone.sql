{#- A phone number in its normal form (docs/normalisation.md, "Phone numbers"):
    - a mobile is its 11 digits, `1[3-9]xxxxxxxxx`: `138-0000-1234`, `+86 138 0000 1234`,
      `8613800001234`, `0086 13800001234` all become `13800001234`;
    - a landline is its digits with the area code and its leading 0: `0791-86123456`,
      `(0791) 8612 3456`, `+86 791 86123456` all become `079186123456`; a 7-8 digit local number
      without an area code is a Nanchang number and gets `0791`;
    - anything else (empty, too short, letters) is null.
    Full-width digits count as digits. Three regexp_extract on the digits, no nested CASE, so the
    expression stays small however often it is used. -#}
{% macro normalise_phone(phone) -%}
    {%- set digits -%}
        regexp_replace({{ halfwidth_digits(phone) }}, '[^0-9+]', '', 'g')
    {%- endset -%}
    coalesce(
        nullif(regexp_extract({{ digits }}, '^(?:\+86|0086|86)?(1[3-9][0-9]{9})$', 1), ''),
        '0' || nullif(regexp_extract({{ digits }}, '^(?:(?:\+86|0086)0?|0)([1-9][0-9]{8,10})$', 1), ''),
        '0791' || nullif(regexp_extract({{ digits }}, '^([2-9][0-9]{6,7})$', 1), '')
    )
{%- endmacro %}

{#- True when a normalised phone is a mobile number. -#}
{% macro is_mobile(normalised_phone) -%}
    coalesce(regexp_matches({{ normalised_phone }}, '^1[3-9][0-9]{9}$'), false)
{%- endmacro %}
