{{ config(schema='audit', materialized='view') }}

{#- One row per complaint counted by kpi_daily: its group (date, district, street, handling_unit,
    category_l1) and, for every KPI, whether it is in the numerator and the denominator. The flags are
    kpi_daily's own (macro kpi_outcome_flags); `zhihui trace --kpi` checks that the sums agree. -#}

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
        {{ kpi_outcome_flags() }}
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
