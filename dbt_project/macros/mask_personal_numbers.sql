{#- Phone numbers and resident ids written inside free text, masked (MART.md):
    resident ids keep their first 4 and last 4 characters (`3601**********1234`); mobiles their
    first 3 and last 4 digits, separators dropped (`138-0000-1234` -> `138****1234`); landlines
    with an area code keep it and the last 4 digits (`0791-86123456` -> `0791-****3456`).
    A number must stand alone (no digit right before or after), so order numbers and amounts
    are left as they are; each pattern runs twice so that two numbers one character apart are
    both caught. Full-width digits, `Ｘ` and `－` are read as their half-width forms first (the
    rest of the text keeps its full-width punctuation). Text without a run of 7 digits is
    returned as it is without the six passes; `text` is read twice, so pass a column. -#}
{% macro mask_personal_numbers(text) -%}
    {%- set id_pattern = "'(^|[^0-9])([0-9]{4})[0-9]{10}([0-9]{3}[0-9Xx])([^0-9]|$)', '\\1\\2**********\\3\\4', 'g'" -%}
    {%- set mobile_pattern = "'(^|[^0-9])(1[3-9][0-9])[- ]?[0-9]{4}[- ]?([0-9]{4})([^0-9]|$)', '\\1\\2****\\3\\4', 'g'" -%}
    {%- set landline_pattern = "'(^|[^0-9])(0[1-9][0-9]{1,2})[- ]?[0-9]{3,4}([0-9]{4})([^0-9]|$)', '\\1\\2-****\\3\\4', 'g'" -%}
    {%- set ids_masked -%}
        regexp_replace(regexp_replace({{ halfwidth_digits(text) }}, {{ id_pattern }}), {{ id_pattern }})
    {%- endset -%}
    {%- set mobiles_masked -%}
        regexp_replace(regexp_replace({{ ids_masked }}, {{ mobile_pattern }}), {{ mobile_pattern }})
    {%- endset -%}
    case
        when regexp_matches({{ text }}, '[0-9０-９][0-9０-９ －-]{5,}[0-9０-９]')
            then regexp_replace(regexp_replace({{ mobiles_masked }}, {{ landline_pattern }}), {{ landline_pattern }})
        else {{ text }}
    end
{%- endmacro %}
