"""One `raw/<channel>` asset per registered connector, built from the registry.

Windowed feeds are partitioned by local day (a run over a range is one single-run backfill);
cursor feeds pull everything new. Each batch lands with its cursor in one transaction
(warehouse/landing.py); the asset reports what a data engineer wants at a glance and checks
that every fetched record was landed or quarantined.
"""

import time
from datetime import date

import dagster as dg
from dagster import AssetExecutionContext

from connectors.core.channel import Connector
from connectors.core.errors import FeedError
from connectors.core.window import DateWindow
from connectors.registry import CONNECTORS
from orchestration.partitions import DAILY
from orchestration.resources import WarehouseResource
from warehouse.landing import Load, ensure_raw_tables

RECONCILIATION_CHECK = "fetched_equals_landed_plus_quarantined"


def raw_asset_key(channel: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", channel])


def build_raw_asset(connector_cls: type[Connector]) -> dg.AssetsDefinition:
    key = raw_asset_key(connector_cls.key)
    windowed = connector_cls.windowed

    @dg.asset(
        key=key,
        group_name="raw",
        description=f"{connector_cls.title}: every record as received, landed verbatim in raw.{connector_cls.key}.",
        partitions_def=DAILY if windowed else None,
        backfill_policy=dg.BackfillPolicy.single_run() if windowed else None,
        check_specs=[
            dg.AssetCheckSpec(
                RECONCILIATION_CHECK, asset=key, description="fetched = landed + quarantined for this load"
            )
        ],
        kinds={"python", "duckdb"},
        metadata={"channel": connector_cls.key, "pulled_by": "day window" if windowed else "cursor"},
    )
    def _raw(context: AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        window = _pull_window(context, connector_cls) if windowed else None
        connector = connector_cls.from_env()
        started = time.monotonic()
        with warehouse.writing() as con:
            ensure_raw_tables(con, list(CONNECTORS))
            load = Load(
                con,
                connector_cls.key,
                run_id=context.run.run_id,
                window=(window.start.isoformat(), window.end.isoformat()) if window else None,
            )
            try:
                for batch in connector.fetch(window=window, cursor=load.cursor_before):
                    load.land(batch)
                    context.log.info(
                        f"{connector_cls.key}: {load.counts.n_landed:,} landed, "
                        f"{load.counts.n_new:,} new, {load.counts.n_quarantined:,} quarantined"
                        + (f" ({batch.note})" if batch.note else "")
                    )
            except FeedError as exc:
                load.finish("failed", str(exc))
                raise dg.Failure(description=str(exc), allow_retries=False) from None
            counts = load.finish()
        return dg.MaterializeResult(
            metadata={
                "load_id": load.load_id,
                "window": dg.MetadataValue.json(window.as_dict() if window else None),
                "rows_fetched": counts.n_fetched,
                "rows_landed": counts.n_landed,
                "rows_new": counts.n_new,
                "rows_quarantined": counts.n_quarantined,
                "cursor_before": dg.MetadataValue.json(load.cursor_before),
                "cursor_after": dg.MetadataValue.json(load.cursor_after),
                "duration_seconds": round(time.monotonic() - started, 2),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=RECONCILIATION_CHECK,
                    passed=counts.reconciles,
                    metadata={
                        "fetched": counts.n_fetched,
                        "landed": counts.n_landed,
                        "quarantined": counts.n_quarantined,
                    },
                )
            ],
        )

    return _raw


def _pull_window(context: AssetExecutionContext, connector_cls: type[Connector]) -> DateWindow:
    """The partition range, extended back by what the feed can still change before it (MART.md)."""
    keys = context.partition_key_range
    window = DateWindow(date.fromisoformat(keys.start), date.fromisoformat(keys.end))
    lookback = getattr(connector_cls, "lookback_days", 0)
    return window.extended_back(lookback) if lookback else window


RAW_ASSETS = [build_raw_asset(connector_cls) for connector_cls in CONNECTORS.values()]
WINDOWED_RAW_KEYS = [raw_asset_key(key) for key, cls in CONNECTORS.items() if cls.windowed]
CURSOR_RAW_KEYS = [raw_asset_key(key) for key, cls in CONNECTORS.items() if not cls.windowed]
