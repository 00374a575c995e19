"""The SQL of the four rates: sums of kpi_daily's numerators over sums of its denominators.

Summing counts, never averaging rates, keeps the report equal to the mart's own KPIs at any
grouping. A mart whose kpi_daily lacks the counts gets them derived from fct_complaint with
MART.md's definitions, over complaints with a record from a handling channel (all but opinion).
"""

RATE_KEYS = ("response_rate", "resolution_rate", "satisfaction_rate", "closure_rate")
HANDLED = "len(list_filter(coalesce(channels, []), c -> c <> 'opinion')) > 0"
KPI_COUNTS = (
    "n_received",
    "n_responded_within_24h",
    "n_finished",
    "n_evaluated_or_called_back",
    "n_resolved",
    "n_evaluated",
    "n_satisfied_or_basic",
    "n_overdue",
)
# the same counts from fct_complaint, for a kpi_daily without them
DERIVED_KPI_COUNTS = f"""
    select received_at::date as date, street, handling_unit, category_l1,
        count(*) as n_received,
        count(*) filter (coalesce(dispatched_at <= received_at + interval 24 hour, false)
                         or coalesce(finished_at <= received_at + interval 24 hour, false)) as n_responded_within_24h,
        count(*) filter (status in ('finished', 'evaluated')) as n_finished,
        count(is_resolved) as n_evaluated_or_called_back,
        count(*) filter (is_resolved) as n_resolved,
        count(satisfaction) as n_evaluated,
        count(*) filter (satisfaction in ('satisfied', 'basic')) as n_satisfied_or_basic,
        count(*) filter (is_overdue) as n_overdue,
    from complaints where {HANDLED} group by all
"""
RATES = """
    sum(n_received)::bigint,
    sum(n_responded_within_24h) / nullif(sum(n_received), 0),
    sum(n_resolved) / nullif(sum(n_evaluated_or_called_back), 0),
    sum(n_satisfied_or_basic) / nullif(sum(n_evaluated), 0),
    sum(n_finished) / nullif(sum(n_received), 0),
    sum(n_overdue)::bigint
"""
