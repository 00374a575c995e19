{#- A text's character bigrams as numbers, in order, repeats kept: each the
    first character's code point × 2^21 + the second's, so two bigrams are equal exactly when
    their numbers are (a code point is under 2^21). A text of one character is its own bigram
    (its code point × 2^21 − 1), an empty one a single −2^21 − 1. Numbers, not two-character
    strings: making, deduplicating and comparing them costs about half (docs/matching.md,
    "Incidents"); and the text is split once, since substr(text, position, 2) walks the UTF-8
    text from its start at every position.
    `character_code_points(text)` makes the list `character_bigrams` reads: a column, made in
    the query before, since it is read three times. -#}
{% macro character_code_points(text) -%}
    list_transform(string_split({{ text }}, ''), letter -> unicode(letter)::bigint)
{%- endmacro %}

{% macro character_bigrams(code_points) -%}
    list_transform(
        range(1, greatest(len({{ code_points }}), 2)),
        position -> {{ code_points }}[position] * 2097152 + coalesce({{ code_points }}[position + 1], -1)
    )
{%- endmacro %}
