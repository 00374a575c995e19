{#- A record's own person name and home address, masked where its text repeats them (MART.md).
    A name keeps its first character (`张三` -> `张*`); a surname with 先生/女士/小姐 is not a name
    and stays. The home address becomes `[住址]`, whether repeated whole or without its leading
    province/city/district (`南昌市西湖区桃源街道某小区` also hides `桃源街道某小区`). -#}
{% macro mask_own_person(text, person_name, person_address) -%}
    {%- set address_tail -%}
        regexp_replace({{ person_address }}, '^(江西省)?(南昌市)?(西湖区)?', '')
    {%- endset -%}
    {%- set name_masked -%}
        case
            when {{ person_name }} is null
                or length({{ person_name }}) < 2
                or regexp_matches({{ person_name }}, '^.(先生|女士|小姐)$')
                then {{ text }}
            else replace({{ text }}, {{ person_name }}, left({{ person_name }}, 1) || repeat('*', length({{ person_name }}) - 1))
        end
    {%- endset -%}
    case
        when {{ person_address }} is null or length({{ person_address }}) < 4 then {{ name_masked }}
        when length({{ address_tail }}) < 4 then replace({{ name_masked }}, {{ person_address }}, '[住址]')
        else replace(replace({{ name_masked }}, {{ person_address }}, '[住址]'), {{ address_tail }}, '[住址]')
    end
{%- endmacro %}
