{#- The 接诉即办 rates per (date, district, street, handling_unit, category_l1), over the complaints
    received that local day (MART.md). Counted: complaints with at least one record from a channel
    that handles appeals (opinion-only complaints are monitored, not handled). Every rate is null
    where its denominator is zero. -#}

with

handled_complaints as (

    select
        complaint_id,
        district,
        street,
        handling_unit,
        category_l1,
        status,
        satisfaction,
        is_resolved,
        is_overdue,
        received_at,
        dispatched_at,
        finished_at,
        deadline,
        cast(timezone('Asia/Shanghai', received_at) as date) as received_date,
    from {{ ref('fct_complaint') }}
    where has_handling_channel

),

complaint_outcomes as (

    select
        *,
        {{ kpi_outcome_flags() }},
    from handled_complaints

),

daily_counts as (

    select
        received_date as date,
        district,
        street,
        handling_unit,
        category_l1,
        count(*) as n_received,
        count(*) filter (where is_responded_within_24h) as n_responded_within_24h,
        count(*) filter (where is_finished) as n_finished,
        count(*) filter (where is_evaluated_or_called_back) as n_evaluated_or_called_back,
        count(*) filter (where is_evaluated_or_called_back and is_judged_resolved) as n_resolved,
        count(*) filter (where is_evaluated) as n_evaluated,
        count(*) filter (where is_evaluated and is_satisfied_or_basic) as n_satisfied_or_basic,
        count(*) filter (where is_finished_with_deadline) as n_finished_with_deadline,
        count(*) filter (where is_finished_with_deadline and is_finished_by_deadline) as n_finished_on_time,
        count(*) filter (where is_overdue) as n_overdue,
    from complaint_outcomes
    group by all

)

select
    md5(
        concat_ws(
            '|',
            cast(date as varchar),
            coalesce(district, '∅'),
            coalesce(street, '∅'),
            coalesce(handling_unit, '∅'),
            coalesce(category_l1, '∅')
        )
    ) as kpi_daily_id,
    date,
    district,
    street,
    handling_unit,
    category_l1,
    n_received,
    n_responded_within_24h,
    n_finished,
    n_evaluated_or_called_back,
    n_resolved,
    n_evaluated,
    n_satisfied_or_basic,
    n_finished_with_deadline,
    n_finished_on_time,
    n_overdue,
    n_responded_within_24h / nullif(n_received, 0) as response_rate,
    n_finished / nullif(n_received, 0) as closure_rate,
    n_resolved / nullif(n_evaluated_or_called_back, 0) as resolution_rate,
    n_satisfied_or_basic / nullif(n_evaluated, 0) as satisfaction_rate,
    n_finished_on_time / nullif(n_finished_with_deadline, 0) as on_time_rate,
from daily_counts
