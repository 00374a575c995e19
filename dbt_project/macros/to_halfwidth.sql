{#- Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space become their half-width
    counterparts: `１３８` -> `138`, `ＡＢＣ` -> `ABC`. NFC alone (DuckDB's nfc_normalize) keeps them. -#}
{% macro to_halfwidth(text) -%}
    translate(
        {{ text }},
        '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　',
        '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ '
    )
{%- endmacro %}
