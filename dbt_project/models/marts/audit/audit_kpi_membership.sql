{{ config(schema='audit', materialized='view') }}

{#- One row per complaint counted by kpi_daily: its group (date, district, street, handling_unit,
    category_l1) and, for every KPI, whether it is in the numerator and the denominator. Mirrors the
    flags of kpi_daily (marts/kpi_daily.sql, complaint_outcomes); `zhihui trace --kpi` checks that the
    sums agree with kpi_daily. -#}

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
        cast(timezone('Asia/Shanghai', received_at) as date) as received_date
    from {{ ref('fct_complaint') }}
    where has_handling_channel

),

complaint_outcomes as (

    select
        complaint_id,
        received_date,
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
        coalesce(least(dispatched_at, finished_at) <= received_at + interval '24 hours', false)
            as is_responded_within_24h,
        status in ('finished', 'evaluated') as is_finished,
        is_resolved is not null or satisfaction is not null as is_evaluated_or_called_back,
        coalesce(is_resolved, false) as is_judged_resolved,
        satisfaction is not null as is_evaluated,
        coalesce(satisfaction in ('satisfied', 'basic'), false) as is_satisfied_or_basic,
        status in ('finished', 'evaluated') and deadline is not null and finished_at is not null
            as is_finished_with_deadline,
        coalesce(cast(timezone('Asia/Shanghai', finished_at) as date) <= deadline, false) as is_finished_by_deadline
    from handled_complaints

)

select
    complaint_id,
    district,
    street,
    handling_unit,
    category_l1,
    status,
    satisfaction,
    received_date,
    deadline,
    is_responded_within_24h as in_response_numerator,
    is_finished as in_closure_numerator,
    is_evaluated_or_called_back as in_resolution_denominator,
    is_evaluated_or_called_back and is_judged_resolved as in_resolution_numerator,
    is_evaluated as in_satisfaction_denominator,
    is_evaluated and is_satisfied_or_basic as in_satisfaction_numerator,
    is_finished_with_deadline as in_on_time_denominator,
    is_finished_with_deadline and is_finished_by_deadline as in_on_time_numerator,
    coalesce(is_overdue, false) as is_counted_overdue,
    received_at,
    dispatched_at,
    finished_at
from complaint_outcomes
