{#- The minsheng item's fields (feeds/minsheng.md) as a json_transform structure; a withdrawal
    lands as {"id": …, "_deleted": true}. -#}
{% macro minsheng_payload_schema() -%}
    {{ return({
        'id': 'VARCHAR', 'created': 'VARCHAR', 'modified': 'VARCHAR', 'entry': 'VARCHAR', 'name': 'VARCHAR',
        'phone': 'VARCHAR', 'content': 'VARCHAR', 'location': {'lat': 'DOUBLE', 'lng': 'DOUBLE'},
        'community': 'VARCHAR', 'status': 'VARCHAR', 'assignee': 'VARCHAR', 'rating': 'INTEGER',
        'rated_at': 'VARCHAR', '_deleted': 'BOOLEAN'
    }) }}
{%- endmacro %}
