{#- Channel timestamps to TIMESTAMPTZ. Every channel's times mean Asia/Shanghai unless they carry
    an offset (feeds/README.md). `format` is a strptime format for local wall-clock text
    (`%Y-%m-%d %H:%M:%S` hotline, `%Y/%m/%d %H:%M` wenzheng, `%Y-%m-%d %H:%M` wenji,
    `%Y年%m月%d日` petition), or `epoch_ms` (city_mgmt), or `iso8601` (opinion `+08:00`, minsheng
    `Z`). Date-only formats get `time_of_day` added (petition: docs/normalisation.md). Empty or
    unparseable text is null, never an error. -#}
{% macro channel_time(text, format, time_of_day=none) -%}
    {%- if format == 'epoch_ms' -%}
        to_timestamp(try_cast({{ text }} as bigint) / 1000.0)
    {%- elif format == 'iso8601' -%}
        try_cast(nullif({{ text }}, '') as timestamptz)
    {%- elif time_of_day is not none -%}
        timezone('Asia/Shanghai', try_strptime(nullif({{ text }}, ''), '{{ format }}') + interval '{{ time_of_day }}')
    {%- else -%}
        timezone('Asia/Shanghai', try_strptime(nullif({{ text }}, ''), '{{ format }}'))
    {%- endif -%}
{%- endmacro %}

{#- The local (Asia/Shanghai) calendar date of a TIMESTAMPTZ. -#}
{% macro local_date(timestamp_tz) -%}
    cast(timezone('Asia/Shanghai', {{ timestamp_tz }}) as date)
{%- endmacro %}
