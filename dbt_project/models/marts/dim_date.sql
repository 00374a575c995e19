{#- One row per local calendar day from the first complaint to 60 days after the last. -#}

with

bounds as (

    select
        min(cast(timezone('Asia/Shanghai', received_at) as date)) as first_date,
        max(cast(timezone('Asia/Shanghai', received_at) as date)) as last_date,
    from {{ ref('fct_complaint') }}

),

days as (

    select cast(calendar_days.range as date) as date,
    from range(
        (select cast(coalesce(first_date, current_date) as timestamp), from bounds),
        (select cast(coalesce(last_date, current_date) as timestamp) + interval 61 day, from bounds),
        interval 1 day
    ) as calendar_days

)

select
    date,
    strftime(date, '%Y-%m') as year_month,
    year(date) as year,
    quarter(date) as quarter,
    month(date) as month,
    day(date) as day_of_month,
    isodow(date) as iso_day_of_week,
    ['周一', '周二', '周三', '周四', '周五', '周六', '周日'][isodow(date)] as day_of_week_name,
    isodow(date) >= 6 as is_weekend,
from days
