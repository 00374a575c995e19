{#- The hotline work order's fields (feeds/hotline.md) as a json_transform structure: one parse
    per payload, every field as text (numbers keep their digits). -#}
{% macro hotline_payload_schema() -%}
    {{ return({
        'order_no': 'VARCHAR', 'version': 'BIGINT', 'call_time': 'VARCHAR', 'updated_at': 'VARCHAR',
        'caller_phone': 'VARCHAR', 'caller_name': 'VARCHAR', 'appeal_type': 'VARCHAR', 'category': 'VARCHAR',
        'content': 'VARCHAR', 'district': 'VARCHAR', 'street': 'VARCHAR', 'address': 'VARCHAR',
        'dept': 'VARCHAR', 'status': 'VARCHAR', 'dispatched_at': 'VARCHAR', 'finished_at': 'VARCHAR',
        'visited_at': 'VARCHAR', 'deadline': 'VARCHAR', 'resolved': 'VARCHAR', 'satisfaction': 'VARCHAR',
        'merged_into': 'VARCHAR'
    }) }}
{%- endmacro %}
