"""Freshness: a feed that has landed no new record for too long is worth a look (WARN).

Judged on `raw.loads` (loads that added rows), not on materialisations: a raw asset materialises
on every run, even when its feed has gone quiet.
"""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg
import duckdb

from connectors.core.channel import Connector

FRESHNESS_CHECK = "freshness"
DEFAULT_MAX_HOURS = 24.0  # a channel may override with `max_hours_without_new_data: ClassVar[float]`

LAST_NEW_DATA_SQL = """
select max(finished_at) from raw.loads
where channel = ? and status = 'succeeded' and n_new > 0
"""


def max_hours(connector_cls: type[Connector]) -> float:
    return float(getattr(connector_cls, "max_hours_without_new_data", DEFAULT_MAX_HOURS))


def evaluate_freshness(
    con: duckdb.DuckDBPyConnection, connector_cls: type[Connector], now: datetime | None = None
) -> dg.AssetCheckResult:
    now = now or datetime.now(UTC)
    limit = max_hours(connector_cls)
    last = con.execute(LAST_NEW_DATA_SQL, [connector_cls.key]).fetchone()[0]
    if last is None:
        return dg.AssetCheckResult(
            check_name=FRESHNESS_CHECK,
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"{connector_cls.key} has never landed a new record",
            metadata={"max_hours": limit},
        )
    hours = (now - last).total_seconds() / 3600
    return dg.AssetCheckResult(
        check_name=FRESHNESS_CHECK,
        passed=hours <= limit,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"last new record landed {hours:.1f} h ago (limit {limit:g} h)",
        metadata={"last_new_data_at": last.isoformat(), "hours_since": round(hours, 2), "max_hours": limit},
    )
