{#- The wenzheng message's fields (feeds/wenzheng.md) as a json_transform structure. -#}
{% macro wenzheng_payload_schema() -%}
    {{ return({
        'msgId': 'VARCHAR', 'title': 'VARCHAR', 'body': 'VARCHAR', 'postTime': 'VARCHAR',
        'updateTime': 'VARCHAR', 'nickname': 'VARCHAR', 'targetUnit': 'VARCHAR', 'region': 'VARCHAR',
        'state': 'VARCHAR', 'replyUnit': 'VARCHAR', 'replyBody': 'VARCHAR', 'replyTime': 'VARCHAR'
    }) }}
{%- endmacro %}
