"""`zhihui trace`: the auditor's view of one complaint, or of one kpi_daily figure, back to its sources.

Reads the working warehouse read-only (briefly taking the writer lock so as not to meet a
run's write), through the views of schema `audit` (dbt_project/models/marts/audit/, docs/auditors.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import duckdb

from warehouse.settings import Locations
from warehouse.writer_lock import writer_lock

SOURCE_RECORDS_SQL = """
select channel, source_record_id, match_method, match_score, record_version, payload_sha256, load_id,
       run_id, fetched_at, is_current_version, payload
from audit.audit_source_record
where complaint_id = ?
order by channel, source_record_id, record_version, fetched_at
"""

KPI_FLAGS = (  # (KPI, numerator flag, denominator flag or None for n_received)
    ("response_rate", "in_response_numerator", None),
    ("closure_rate", "in_closure_numerator", None),
    ("resolution_rate", "in_resolution_numerator", "in_resolution_denominator"),
    ("satisfaction_rate", "in_satisfaction_numerator", "in_satisfaction_denominator"),
    ("on_time_rate", "in_on_time_numerator", "in_on_time_denominator"),
)
GROUP = ("street", "handling_unit", "category_l1")


@contextmanager
def reading(locations: Locations) -> Iterator[duckdb.DuckDBPyConnection]:
    if not locations.warehouse_path.exists():
        raise FileNotFoundError(f"no working warehouse at {locations.warehouse_path}: run the pipeline first")
    with writer_lock(locations.home), duckdb.connect(str(locations.warehouse_path), read_only=True) as con:
        yield con


def current_complaint_id(con: duckdb.DuckDBPyConnection, complaint_id: str) -> str:
    """Follow complaint_id_history, so an id saved before two complaints merged still traces."""
    seen = {complaint_id}
    while True:
        row = con.execute(
            "select complaint_id from mart.complaint_id_history where old_complaint_id = ?", [complaint_id]
        ).fetchone()
        if not row or row[0] in seen:
            return complaint_id
        complaint_id = row[0]
        seen.add(complaint_id)


def trace_complaint(locations: Locations, complaint_id: str) -> list[str]:
    with reading(locations) as con:
        current = current_complaint_id(con, complaint_id)
        rows = con.execute(SOURCE_RECORDS_SQL, [current]).fetchall()
        columns = [d[0] for d in con.description]
    if not rows:
        return [f"No complaint {complaint_id} in {locations.warehouse_path}."]
    lines = [f"Complaint {current}" + (f" (was {complaint_id})" if current != complaint_id else "")]
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    keys = sorted({(r["channel"], r["source_record_id"]) for r in records})
    lines.append(f"{len(keys)} source records, {len(records)} landed versions")
    for channel, source_record_id in keys:
        versions = [r for r in records if (r["channel"], r["source_record_id"]) == (channel, source_record_id)]
        first = versions[0]
        lines.append("")
        lines.append(
            f"[{channel}] {source_record_id}  linked by {first['match_method']} (score {first['match_score']})"
        )
        for version in versions:
            marker = "current" if version["is_current_version"] else "earlier"
            lines.append(
                f"  version {version['record_version']} ({marker}): sha256 {version['payload_sha256']}, "
                f"load {version['load_id']}, Dagster run {version['run_id']}, fetched {version['fetched_at']}"
            )
            lines.append(f"    payload {json.dumps(json.loads(version['payload']), ensure_ascii=False)}")
    return lines


def trace_kpi(locations: Locations, day: date, district: str) -> list[str]:
    with reading(locations) as con:
        kpi_rows = _dicts(
            con, "select * from mart.kpi_daily where date = ? and district = ? order by all", [day, district]
        )
        members = _dicts(
            con,
            "select * from audit.audit_kpi_membership where received_date = ? and district = ? "
            "order by street, handling_unit, category_l1, complaint_id",
            [day, district],
        )
    if not kpi_rows:
        return [f"No kpi_daily row for {day} in {district}."]
    lines = [f"kpi_daily {day} {district}: {len(kpi_rows)} rows, {len(members)} complaints counted"]
    for row in kpi_rows:
        group = [m for m in members if all(m[g] == row[g] for g in GROUP)]
        lines.append("")
        lines.append(" / ".join(str(row[g]) for g in GROUP) + f": n_received {row['n_received']}")
        if len(group) != row["n_received"]:
            lines.append(f"  MISMATCH: {len(group)} complaints in audit.audit_kpi_membership")
        for kpi, numerator, denominator in KPI_FLAGS:
            num = sum(1 for m in group if m[numerator])
            den = sum(1 for m in group if m[denominator]) if denominator else len(group)
            recomputed = num / den if den else None
            agrees = recomputed == row[kpi] or (
                recomputed is not None and row[kpi] is not None and abs(recomputed - row[kpi]) < 1e-9
            )
            lines.append(
                f"  {kpi} = {row[kpi]}: {num} / {den} (numerator: {numerator}; denominator: "
                f"{denominator or 'every complaint counted'})" + ("" if agrees else "  MISMATCH")
            )
        for member in group:
            flags = [kpi for kpi, numerator, _ in KPI_FLAGS if member[numerator]]
            outside = [kpi for kpi, _, den in KPI_FLAGS if den and not member[den]]
            lines.append(
                f"  - {member['complaint_id']} {member['status']}, received {member['received_at']}; "
                f"in numerators: {', '.join(flags) or 'none'}; outside denominators: {', '.join(outside) or 'none'}"
                + ("; overdue" if member["is_counted_overdue"] else "")
            )
    return lines


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    rows = con.execute(sql, params).fetchall()
    columns = [d[0] for d in con.description]
    return [dict(zip(columns, row, strict=True)) for row in rows]
