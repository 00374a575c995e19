{#- The petition 信访件 as landed (docs/architecture.md: the XML elements re-expressed as a JSON
    object with the vendor's names, an empty element as "", plus _export_time, _batch, _file). -#}
{% macro petition_payload_schema() -%}
    {%- set fields = [
        '信访件编号', '登记日期', '信访形式', '信访人姓名', '证件号码', '联系电话', '住址', '问题属地',
        '问题类别', '信访事项', '责任单位', '办理状态', '受理日期', '办结日期', '答复意见', '评价',
        '重复信访', '_export_time', '_batch', '_file'
    ] -%}
    {%- set structure = {} -%}
    {%- for field in fields -%}{%- do structure.update({field: 'VARCHAR'}) -%}{%- endfor -%}
    {{ return(structure) }}
{%- endmacro %}
