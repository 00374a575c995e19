"""The short summary `zhihui demo` prints, read from the published BI copy (what users will see)."""

from __future__ import annotations

import duckdb

from warehouse.settings import Locations

RATE_SQL = """
select
    count(*) as complaints,
    avg(case when dispatched_at <= received_at + interval 24 hour
             or finished_at <= received_at + interval 24 hour then 1.0 else 0.0 end) as response_rate,
    avg(case when status in ('finished', 'evaluated') then 1.0 else 0.0 end) as closure_rate,
    sum(case when is_resolved then 1.0 else 0.0 end) / nullif(count(is_resolved), 0) as resolution_rate,
    sum(case when satisfaction in ('satisfied', 'basic') then 1.0 else 0.0 end)
        / nullif(count(satisfaction), 0) as satisfaction_rate
from mart.fct_complaint
where list_has_any(channels, (select list(channel) from mart.dim_channel where is_handling_channel))
"""


def summary_lines(locations: Locations) -> list[str]:
    with duckdb.connect(str(locations.published_path), read_only=True) as con:
        per_channel = con.execute(
            "select channel, count(*) from mart.bridge_complaint_source group by channel order by count(*) desc"
        ).fetchall()
        n_complaints = con.execute("select count(*) from mart.fct_complaint").fetchone()[0]
        n_incidents = _count_or_none(con, "fct_incident")
        rates = _rates(con)
    n_records = sum(count for _, count in per_channel)
    lines = [f"Source records: {n_records:,}  ({', '.join(f'{c} {n:,}' for c, n in per_channel)})"]
    merged = f" — deduplication merged {n_records - n_complaints:,} records" if n_records else ""
    lines.append(f"Complaints: {n_complaints:,}{merged}" + (f"; incidents: {n_incidents:,}" if n_incidents else ""))
    if rates:
        lines.append(
            "Rates (handled channels): "
            + ", ".join(
                f"{label} {value:.1%}" if value is not None else f"{label} n/a" for label, value in rates.items()
            )
        )
    lines.append(f"BI copy: {locations.published_path}")
    lines.append(f"Parquet: {locations.parquet_dir}/<table>.parquet")
    lines.append("Dagster UI: `zhihui ui` (or `make ui`), then open http://127.0.0.1:3000")
    return lines


def headline_figures(locations: Locations) -> dict[str, float | int | None]:
    """Complaints, source records and the four rates of the published copy (metadata of `published/zhihui`)."""
    with duckdb.connect(str(locations.published_path), read_only=True) as con:
        n_complaints = con.execute("select count(*) from mart.fct_complaint").fetchone()[0]
        n_records = _count_or_none(con, "bridge_complaint_source")
        names = ("response_rate", "closure_rate", "resolution_rate", "satisfaction_rate")
        rates = dict(zip(names, _rates(con).values(), strict=True))
    return {"complaints": n_complaints, "source_records": n_records, **rates}


def _rates(con: duckdb.DuckDBPyConnection) -> dict[str, float | None]:
    try:
        row = con.execute(RATE_SQL).fetchone()
    except duckdb.Error:
        row = con.execute(RATE_SQL.split("where list_has_any")[0]).fetchone()
    return {"响应率": row[1], "办结率": row[2], "解决率": row[3], "满意率": row[4]}


def _count_or_none(con: duckdb.DuckDBPyConnection, table: str) -> int | None:
    try:
        return con.execute(f"select count(*) from mart.{table}").fetchone()[0]
    except duckdb.Error:
        return None
