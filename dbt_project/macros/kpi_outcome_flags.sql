{#- The per-complaint flags every KPI of MART.md counts (numerators and denominators), written once
    for kpi_daily (which sums them) and audit_kpi_membership (which shows them per complaint).
    Expects the columns of fct_complaint in scope. -#}
{% macro kpi_outcome_flags() -%}
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
{%- endmacro %}
