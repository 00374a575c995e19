"""The BI copy: published after every successful build (warehouse/publish.py)."""

import dagster as dg
from dagster import AssetExecutionContext

from orchestration.assets.dbt import mart_asset_keys
from orchestration.partitions import WINDOW_TAGS
from orchestration.resources import WarehouseResource
from orchestration.summary import headline_figures
from warehouse.publish import publish_mart


@dg.asset(
    key=dg.AssetKey(["published", "zhihui"]),
    deps=mart_asset_keys(),
    group_name="published",
    kinds={"duckdb", "parquet"},
    description="published/zhihui.duckdb (schema mart) and published/parquet/*.parquet, replaced atomically.",
)
def published_mart(context: AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    start, end = (context.run.tags.get(tag) for tag in WINDOW_TAGS)
    with warehouse.writer_lock() as locations:
        publication = publish_mart(locations, run_id=context.run.run_id, window=(start, end) if start and end else None)
    figures = {
        name: round(value, 4) if isinstance(value, float) else value
        for name, value in headline_figures(locations).items()
    }
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(publication.path)),
            **figures,
            **{f"rows_{name}": count for name, count in publication.tables.items()},
        }
    )
