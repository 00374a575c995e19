{#- The combination of `columns` is unique: fails on each repeated combination. -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as n_rows,
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
