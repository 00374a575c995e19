"""Volume anomaly: the latest load against the trailing median of the channel's earlier loads (WARN).

Loads of windowed feeds are compared per day of their window, so a seven-day backfill and a
one-day run are measured alike; cursor feeds are compared load for load. Too little history
(or a tiny baseline) passes: an anomaly needs something to stand out from.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import dagster as dg
import duckdb

from connectors.core.channel import Connector

VOLUME_CHECK = "volume_anomaly"
TRAILING_LOADS = 14
MIN_HISTORY = 3
MIN_BASELINE_ROWS = 10.0
RATIO_LIMIT = 3.0  # warn below a third or above three times the baseline

LOADS_SQL = """
select load_id, n_landed,
       case when window_start is null then 1 else datediff('day', window_start, window_end) + 1 end as days
from raw.loads
where channel = ? and status = 'succeeded'
order by started_at desc
limit ?
"""


@dataclass(frozen=True)
class VolumeVerdict:
    latest: float | None
    baseline: float | None
    n_history: int

    @property
    def ratio(self) -> float | None:
        if self.latest is None or not self.baseline:
            return None
        return self.latest / self.baseline

    @property
    def judged(self) -> bool:
        return self.n_history >= MIN_HISTORY and (self.baseline or 0) >= MIN_BASELINE_ROWS

    @property
    def normal(self) -> bool:
        ratio = self.ratio
        return not self.judged or (ratio is not None and 1 / RATIO_LIMIT <= ratio <= RATIO_LIMIT)


def volume_verdict(rates_newest_first: list[float]) -> VolumeVerdict:
    """Rows per day (or per load) of the latest load, then of the earlier ones, newest first."""
    if not rates_newest_first:
        return VolumeVerdict(latest=None, baseline=None, n_history=0)
    history = rates_newest_first[1:]
    return VolumeVerdict(
        latest=rates_newest_first[0], baseline=median(history) if history else None, n_history=len(history)
    )


def evaluate_volume(con: duckdb.DuckDBPyConnection, connector_cls: type[Connector]) -> dg.AssetCheckResult:
    rows = con.execute(LOADS_SQL, [connector_cls.key, TRAILING_LOADS + 1]).fetchall()
    verdict = volume_verdict([n_landed / max(days, 1) for _, n_landed, days in rows])
    unit = "rows/day" if connector_cls.windowed else "rows/load"
    if not verdict.judged:
        description = f"not judged: {verdict.n_history} earlier loads, baseline {verdict.baseline or 0:.0f} {unit}"
    else:
        description = f"latest {verdict.latest:.0f} {unit} against a median of {verdict.baseline:.0f}"
    return dg.AssetCheckResult(
        check_name=VOLUME_CHECK,
        passed=verdict.normal,
        severity=dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "latest_load_id": rows[0][0] if rows else None,
            f"latest_{unit.replace('/', '_per_')}": round(verdict.latest or 0, 1),
            f"median_{unit.replace('/', '_per_')}": round(verdict.baseline or 0, 1),
            "earlier_loads": verdict.n_history,
            "ratio": round(verdict.ratio, 3) if verdict.ratio is not None else None,
        },
    )
