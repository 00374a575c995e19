{#- An HTML fragment (wenzheng `body`, `replyBody`) as plain text: `<br>`, `</p>`, `</div>` and
    `</li>` end a line, every other tag goes, the common entities are decoded (`&amp;` last, so
    `&amp;lt;` stays `&lt;`), runs of blank lines and spaces around line ends collapse. -#}
{% macro html_to_text(html) -%}
    nullif(trim(regexp_replace(regexp_replace(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
            regexp_replace(
                regexp_replace({{ html }}, '<\s*br\s*/?\s*>|<\s*/\s*(p|div|li)\s*>', chr(10), 'gi'),
                '<[^>]*>', '', 'g'
            ),
            '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&apos;', ''''),
            '&ldquo;', '“'), '&rdquo;', '”'), '&hellip;', '…'), '&mdash;', '—'), '&amp;', '&'),
        '[ \t\r]*\n[ \t\r\n]*', chr(10), 'g'), '[ \t]{2,}', ' ', 'g'), chr(10) || ' \t'), '')
{%- endmacro %}
