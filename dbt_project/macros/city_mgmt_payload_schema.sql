{#- The city_mgmt case row's fields (feeds/city_mgmt.md) as a json_transform structure. -#}
{% macro city_mgmt_payload_schema() -%}
    {{ return({
        'caseId': 'VARCHAR', 'reportTime': 'BIGINT', 'lastModified': 'BIGINT', 'source': 'VARCHAR',
        'reporterMobile': 'VARCHAR',
        'eventClass': {'bigCode': 'VARCHAR', 'bigName': 'VARCHAR', 'smallCode': 'VARCHAR', 'smallName': 'VARCHAR'},
        'description': 'VARCHAR', 'address': 'VARCHAR', 'lng': 'DOUBLE', 'lat': 'DOUBLE', 'gridCode': 'VARCHAR',
        'state': 'VARCHAR', 'handleUnit': 'VARCHAR', 'deadline': 'BIGINT', 'closeTime': 'BIGINT'
    }) }}
{%- endmacro %}
