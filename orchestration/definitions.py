"""The one Definitions object of the project (`dagster dev -m orchestration.definitions`)."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import DBT_EXECUTABLE, DBT_PROJECT, zhihui_dbt_models
from orchestration.assets.published import published_mart
from orchestration.assets.raw import RAW_ASSETS
from orchestration.checks.raw_feed_checks import RAW_FEED_CHECKS
from orchestration.jobs import JOBS
from orchestration.resources import WarehouseResource
from orchestration.schedules import SCHEDULES
from orchestration.sensors import SENSORS

defs = dg.Definitions(
    assets=[*RAW_ASSETS, zhihui_dbt_models, published_mart],
    asset_checks=RAW_FEED_CHECKS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources={
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=DBT_EXECUTABLE),
    },
)
