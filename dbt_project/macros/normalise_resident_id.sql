{#- An 18-character resident id (GB 11643) in its normal form: no spaces, check character `X`
    upper-cased; anything that is not 17 digits and a digit or X is null. -#}
{% macro normalise_resident_id(resident_id) -%}
    nullif(regexp_extract(upper(regexp_replace({{ halfwidth_digits(resident_id) }}, '\s', '', 'g')), '^([0-9]{17}[0-9X])$', 1), '')
{%- endmacro %}
