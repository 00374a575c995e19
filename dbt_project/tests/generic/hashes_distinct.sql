{#- Every distinct value of a list column has a hash of its own: int_incident_pairs blocks and
    compares places by hash(place), which is exact only then. Fails on each hash that two values
    share, with how many. -#}
{% test hashes_distinct(model, column_name) %}

select
    hash(value) as value_hash,
    count(distinct value) as n_values,
from (
    select unnest({{ column_name }}) as value,
    from {{ model }}
) as list_values
group by value_hash
having count(distinct value) > 1

{% endtest %}
