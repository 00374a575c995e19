{#- Each channel's own status words onto the shared vocabulary (MART.md, "Shared vocabulary"):
    received, dispatched, processing, finished, evaluated; rejected and withdrawn are terminal.
    A word not in the table is null (and shows in the accepted_values test). -#}
{% macro hotline_status(raw_status) -%}
    case {{ raw_status }}
        when '已受理' then 'received'
        when '已派单' then 'dispatched'
        when '已退单' then 'dispatched'
        when '办理中' then 'processing'
        when '已办结' then 'finished'
        when '已回访' then 'evaluated'
    end
{%- endmacro %}

{% macro city_mgmt_status(state) -%}
    case cast({{ state }} as varchar)
        when '1' then 'received'
        when '2' then 'received'
        when '3' then 'dispatched'
        when '4' then 'processing'
        when '5' then 'finished'
        when '6' then 'finished'
        when '7' then 'finished'
        when '9' then 'rejected'
    end
{%- endmacro %}

{#- petition: 评价 given (满意/基本满意/不满意) is `evaluated`, whatever 办理状态 says, except
    不予受理 and 复查中 (a review reopened after an evaluation: processing again). -#}
{% macro petition_status(handling_status, evaluation) -%}
    case
        when {{ handling_status }} = '不予受理' then 'rejected'
        when {{ handling_status }} = '复查中' then 'processing'
        when {{ evaluation }} in ('满意', '基本满意', '不满意') then 'evaluated'
        when {{ handling_status }} = '待受理' then 'received'
        when {{ handling_status }} = '已受理' then 'dispatched'
        when {{ handling_status }} = '办理中' then 'processing'
        when {{ handling_status }} = '已办结' then 'finished'
    end
{%- endmacro %}

{% macro wenzheng_status(state) -%}
    case {{ state }}
        when '待受理' then 'received'
        when '办理中' then 'processing'
        when '已回复' then 'finished'
    end
{%- endmacro %}

{% macro wenji_status(adoption_status) -%}
    case {{ adoption_status }}
        when '待处理' then 'received'
        when '已采纳' then 'finished'
        when '部分采纳' then 'finished'
        when '未采纳' then 'finished'
    end
{%- endmacro %}

{% macro minsheng_status(status, is_deleted) -%}
    case
        when {{ is_deleted }} then 'withdrawn'
        when {{ status }} = 'submitted' then 'received'
        when {{ status }} = 'assigned' then 'dispatched'
        when {{ status }} = 'processing' then 'processing'
        when {{ status }} = 'done' then 'finished'
        when {{ status }} = 'rated' then 'evaluated'
    end
{%- endmacro %}
