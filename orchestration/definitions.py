"""The one Definitions object of the project (`dagster dev -m orchestration.definitions`)."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import DBT_EXECUTABLE, DBT_PROJECT, zhihui_dbt_models
from orchestration.assets.published import published_mart
from orchestration.assets.raw import RAW_ASSETS
from orchestration.jobs import PIPELINE_JOB
from orchestration.resources import WarehouseResource

defs = dg.Definitions(
    assets=[*RAW_ASSETS, zhihui_dbt_models, published_mart],
    jobs=[PIPELINE_JOB],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=DBT_EXECUTABLE),
    },
)
