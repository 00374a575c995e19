{#- The opinion mention's fields (feeds/opinion.md) as a json_transform structure; `id` and
    `repost_of` stay text (64-bit ids never go through a double). -#}
{% macro opinion_payload_schema() -%}
    {{ return({
        'id': 'VARCHAR', 'platform': 'VARCHAR', 'url': 'VARCHAR',
        'author': {'id': 'VARCHAR', 'name': 'VARCHAR', 'followers': 'BIGINT'},
        'published_at': 'VARCHAR', 'title': 'VARCHAR', 'text': 'VARCHAR', 'geo_hint': 'VARCHAR',
        'sentiment': 'DOUBLE', 'repost_of': 'VARCHAR', 'keywords': ['VARCHAR']
    }) }}
{%- endmacro %}
