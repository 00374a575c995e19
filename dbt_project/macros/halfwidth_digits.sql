{#- Full-width digits, `＋`, `－` and `Ｘ`/`ｘ` read as their half-width forms (`１３８` -> `138`),
    for numbers typed with an IME. A short translate: DuckDB's translate costs per mapped
    character, so the full-width block is never mapped whole on long texts. -#}
{% macro halfwidth_digits(text) -%}
    translate({{ text }}, '０１２３４５６７８９＋－Ｘｘ', '0123456789+-Xx')
{%- endmacro %}
