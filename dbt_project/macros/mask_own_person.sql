{#- A record's own person name and home address, masked where its text repeats them (MART.md).
    A name keeps its first character (`张三` -> `张*`); a surname with 先生/女士/小姐 is not a name
    and stays. The home address becomes `[住址]`, whether repeated whole, without its leading
    province/city/district, or from after its street on (`南昌市西湖区桃源街道桃苑小区3栋` also
    hides `桃源街道桃苑小区3栋` and `桃苑小区3栋`); parts shorter than 4 characters are not
    masked (they would hit ordinary words). Each input appears
    once in the expression: what is not to be masked is searched as chr(0), which no text holds. -#}
{% macro mask_own_person(text, person_name, person_address) -%}
    {%- set maskable_name -%}
        case
            when length({{ person_name }}) >= 2 and not regexp_matches({{ person_name }}, '^.(先生|女士|小姐)$')
                then {{ person_name }}
        end
    {%- endset -%}
    {%- set address_after_street -%}
        regexp_replace({{ person_address }}, '^.*?(街道|镇|乡)', '')
    {%- endset -%}
    {%- set address_tail -%}
        regexp_replace({{ person_address }}, '^(江西省)?(南昌市)?(西湖区)?', '')
    {%- endset -%}
    replace(
        replace(
            replace(
                replace(
                    {{ text }},
                    coalesce({{ maskable_name }}, chr(0)),
                    coalesce(left({{ person_name }}, 1) || repeat('*', length({{ person_name }}) - 1), '')
                ),
                coalesce(case when length({{ person_address }}) >= 4 then {{ person_address }} end, chr(0)),
                '[住址]'
            ),
            coalesce(case when length({{ address_tail }}) >= 4 then {{ address_tail }} end, chr(0)),
            '[住址]'
        ),
        coalesce(case when length({{ address_after_street }}) >= 4 then {{ address_after_street }} end, chr(0)),
        '[住址]'
    )
{%- endmacro %}
