"""One multi-check per raw feed: freshness, volume anomaly and schema drift, all WARN, none blocking.

They run after `raw/<channel>` in the same run, on one connection under the writer lock
(schema drift records what it finds in `raw.schema_drift`).
"""

from collections.abc import Iterator

import dagster as dg

from connectors.core.channel import Connector
from connectors.registry import CONNECTORS
from orchestration.assets.raw import raw_asset_key
from orchestration.checks.freshness import FRESHNESS_CHECK, evaluate_freshness, max_hours
from orchestration.checks.schema_drift import SCHEMA_DRIFT_CHECK, evaluate_schema_drift
from orchestration.checks.volume import RATIO_LIMIT, TRAILING_LOADS, VOLUME_CHECK, evaluate_volume
from orchestration.resources import WarehouseResource


def build_raw_feed_checks(connector_cls: type[Connector]) -> dg.AssetChecksDefinition:
    key = raw_asset_key(connector_cls.key)
    specs = [
        dg.AssetCheckSpec(
            FRESHNESS_CHECK, asset=key, description=f"a new record landed within {max_hours(connector_cls):g} h"
        ),
        dg.AssetCheckSpec(
            VOLUME_CHECK,
            asset=key,
            description=f"latest load within ×{RATIO_LIMIT:g} of the median of the last {TRAILING_LOADS} loads",
        ),
        dg.AssetCheckSpec(
            SCHEMA_DRIFT_CHECK, asset=key, description="no payload field beyond the connector's expected_fields"
        ),
    ]

    @dg.multi_asset_check(specs=specs, name=f"{connector_cls.key}_feed_checks", can_subset=True)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[dg.AssetCheckResult]:
        selected = {check_key.name for check_key in context.selected_asset_check_keys}
        evaluations = {
            FRESHNESS_CHECK: evaluate_freshness,
            VOLUME_CHECK: evaluate_volume,
            SCHEMA_DRIFT_CHECK: evaluate_schema_drift,
        }
        with warehouse.writing() as con:
            for name, evaluate in evaluations.items():
                if name in selected:
                    yield evaluate(con, connector_cls)

    return _checks


RAW_FEED_CHECKS = [build_raw_feed_checks(connector_cls) for connector_cls in CONNECTORS.values()]
