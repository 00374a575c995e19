{#- 未诉先办 early warnings: a street x category_l2 whose daily complaint count is anomalous against
    its own trailing baseline (the alert_baseline_days before the day). Two rules:
    spike: robust z-score (observed - median) / scale >= alert_z_medium, where scale is
    1.4826 x MAD, floored at sqrt(max(median, 1)) so a quiet series does not alert on one complaint;
    rising: three days rising in a row (d-2 < d-1 < d). Both need observed >= alert_min_observed. -#}
{%- set baseline_days = var('alert_baseline_days') -%}

with

daily_counts as (

    select
        street,
        district,
        category_l2,
        cast(timezone('Asia/Shanghai', received_at) as date) as count_date,
        count(*) as n_complaints,
    from {{ ref('fct_complaint') }}
    where street is not null and category_l2 is not null
    group by all

),

series as (

    select
        street,
        category_l2,
        any_value(district) as district,
    from daily_counts
    group by street, category_l2

),

calendar as (

    select cast(calendar_days.range as date) as count_date,
    from range(
        (select cast(min(count_date) as timestamp), from daily_counts),
        (select cast(max(count_date) as timestamp) + interval 1 day, from daily_counts),
        interval 1 day
    ) as calendar_days

),

dense_counts as (

    select
        series.street,
        series.district,
        series.category_l2,
        calendar.count_date,
        coalesce(daily_counts.n_complaints, 0) as observed,
    from series
    cross join calendar
    left join daily_counts
        on
            series.street = daily_counts.street
            and series.category_l2 = daily_counts.category_l2
            and calendar.count_date = daily_counts.count_date

),

trailing_baseline as (

    select
        *,
        list(observed) over trailing_days as baseline_counts,
        lag(observed, 1) over by_day as observed_1_day_before,
        lag(observed, 2) over by_day as observed_2_days_before,
    from dense_counts
    window
        by_day as (partition by street, category_l2 order by count_date),
        trailing_days as (
            partition by street, category_l2 order by count_date
            rows between {{ baseline_days }} preceding and 1 preceding
        )

),

robust_scores as (

    select
        *,
        list_aggregate(baseline_counts, 'median') as baseline_median,
        list_aggregate(
            list_transform(baseline_counts, n -> abs(n - list_aggregate(baseline_counts, 'median'))),
            'median'
        ) as baseline_mad,
    from trailing_baseline
    where len(baseline_counts) >= {{ baseline_days }} // 2

),

alert_rules as (

    select
        *,
        (observed - baseline_median)
        / greatest(1.4826 * baseline_mad, sqrt(greatest(baseline_median, 1))) as robust_z,
        coalesce(observed > observed_1_day_before and observed_1_day_before > observed_2_days_before, false)
            as is_rising_three_days,
    from robust_scores
    where observed >= {{ var('alert_min_observed') }}

)

select
    md5(concat_ws('|', cast(count_date as varchar), street, category_l2)) as risk_alert_id,
    count_date as alert_date,
    district,
    street,
    category_l2,
    observed,
    baseline_median as expected,
    round(robust_z, 2) as score,
    case
        when robust_z >= {{ var('alert_z_high') }} then 'high'
        when robust_z >= {{ var('alert_z_medium') }} then 'medium'
        else 'low'
    end as level,
    case
        when robust_z >= {{ var('alert_z_medium') }}
            then printf(
                '%s「%s」当日 %d 件，明显高于近 %d 日基线（中位数 %.1f 件，稳健 Z 分数 %.1f）%s',
                street, category_l2, observed, len(baseline_counts), baseline_median, robust_z,
                case when is_rising_three_days then '，且已连续三日上升' else '' end
            )
        else printf(
            '%s「%s」连续三日上升（%d → %d → %d 件），近 %d 日中位数 %.1f 件',
            street, category_l2, observed_2_days_before, observed_1_day_before, observed,
            len(baseline_counts), baseline_median
        )
    end as reason,
    robust_z >= {{ var('alert_z_medium') }} as is_spike,
    is_rising_three_days,
from alert_rules
where robust_z >= {{ var('alert_z_medium') }} or is_rising_three_days
