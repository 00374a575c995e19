{#- The wenji CSV row as landed (docs/architecture.md: the header's names, plus _export_date). -#}
{% macro wenji_payload_schema() -%}
    {%- set fields = ['建议编号', '提交时间', '标题', '建议内容', '所属领域', '手机号码', '采纳状态', '回复内容', '_export_date'] -%}
    {%- set structure = {} -%}
    {%- for field in fields -%}{%- do structure.update({field: 'VARCHAR'}) -%}{%- endfor -%}
    {{ return(structure) }}
{%- endmacro %}
