{#- Text normalised for matching (docs/normalisation.md): NFC, full-width forms to half-width
    (what NFKC would add for this script), no URLs, lower case, and nothing but letters and
    digits: no emoji, punctuation or whitespace. `水管爆裂！！😤 ＡＢ` -> `水管爆裂ab`. -#}
{% macro match_text(text) -%}
    nullif(lower(regexp_replace(
        regexp_replace({{ to_halfwidth('nfc_normalize(' ~ text ~ ')') }}, 'https?://[!-~]*', '', 'g'),
        '[^\p{L}\p{N}]+', '', 'g'
    )), '')
{%- endmacro %}
