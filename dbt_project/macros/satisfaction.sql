{#- Satisfaction in the shared vocabulary (MART.md): satisfied, basic, dissatisfied, or null
    when not evaluated; and is_resolved from the latest evaluation. -#}
{% macro satisfaction_from_label(label) -%}
    case {{ label }}
        when '满意' then 'satisfied'
        when '基本满意' then 'basic'
        when '不满意' then 'dissatisfied'
    end
{%- endmacro %}

{#- minsheng stars: 4-5 satisfied, 3 basic, 1-2 dissatisfied. -#}
{% macro satisfaction_from_stars(stars) -%}
    case
        when {{ stars }} between 4 and 5 then 'satisfied'
        when {{ stars }} = 3 then 'basic'
        when {{ stars }} between 1 and 2 then 'dissatisfied'
    end
{%- endmacro %}

{#- hotline callback 是/否; petition 满意/基本满意 resolved, 不满意 not; minsheng 3-5 stars resolved. -#}
{% macro resolved_from_answer(answer) -%}
    case {{ answer }} when '是' then true when '否' then false end
{%- endmacro %}

{% macro resolved_from_label(label) -%}
    case when {{ label }} in ('满意', '基本满意') then true when {{ label }} = '不满意' then false end
{%- endmacro %}

{% macro resolved_from_stars(stars) -%}
    case when {{ stars }} between 3 and 5 then true when {{ stars }} between 1 and 2 then false end
{%- endmacro %}
