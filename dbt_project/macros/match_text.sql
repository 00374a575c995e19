{#- Text normalised for matching (docs/normalisation.md, "Text"): what NFKC would do for this
    script, then nothing but letters and digits. DuckDB has no NFKC (only nfc_normalize), so:
    1. nfc_if_needed: NFC, only when the text holds a combining mark (Chinese text never needs
       it, and NFC costs per character);
    2. match_letters: URLs dropped, every character that is not a letter or digit removed (no
       emoji, punctuation or whitespace), lower case;
    3. match_text_folded: full-width digits and letters (what survives step 2 of the full-width
       block) to half-width, only when there are any.
    `水管爆裂！！😤 ＡＢ` -> `水管爆裂ab`. Steps 1 and 3 test their input twice, so they take a
    column, not an expression. -#}
{% macro nfc_if_needed(text_column) -%}
    case when regexp_matches({{ text_column }}, '\p{M}') then nfc_normalize({{ text_column }}) else {{ text_column }} end
{%- endmacro %}

{% macro match_letters(text) -%}
    nullif(lower(regexp_replace(regexp_replace({{ text }}, 'https?://[!-~]*', '', 'g'), '[^\p{L}\p{N}]+', '', 'g')), '')
{%- endmacro %}

{% macro match_text_folded(letters_column) -%}
    case
        when regexp_matches({{ letters_column }}, '[０-９ａ-ｚ]')
            then translate(
                {{ letters_column }},
                '０１２３４５６７８９ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ',
                '0123456789abcdefghijklmnopqrstuvwxyz'
            )
        else {{ letters_column }}
    end
{%- endmacro %}
