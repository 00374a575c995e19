{#- One row per channel, from var('channels') (feeds/README.md order). -#}
{%- set names = {
    'hotline': '12345 市民服务热线',
    'city_mgmt': '掌上城管 / 数字化城管',
    'petition': '数字信访',
    'opinion': '舆情监测',
    'wenzheng': '问政江西',
    'wenji': '问计江西',
    'minsheng': '民声通道',
} -%}

with

channels as (

    {% for channel in var('channels') %}
        select
            '{{ channel }}' as channel,
            '{{ names.get(channel, channel) }}' as channel_name,
            {{ loop.index }} as channel_rank,
            {{ 'false' if channel in var('monitoring_channels') else 'true' }} as is_handling_channel,
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *, from channels
