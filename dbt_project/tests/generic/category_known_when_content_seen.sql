{#- category_l1 is never null for a record whose content was seen, and null for one whose
    content never was (a minsheng withdrawal known only by its id): fails on each exception. -#}
{% test category_known_when_content_seen(model) %}

select
    record_key,
    content,
    category_l1,
from {{ model }}
where (content is not null) != (category_l1 is not null)

{% endtest %}
