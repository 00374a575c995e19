"""The main job: ingest every channel, build the models, run the checks, publish.

In-process execution: the steps share one DuckDB writer and avoid a process per step
(measured here: ~2 s in-process against ~22 s multiprocess for ten trivial assets).
"""

from __future__ import annotations

import dagster as dg

PIPELINE_JOB = dg.define_asset_job(
    "zhihui_pipeline",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest all channels for a window of days, build the mart, run the checks, publish.",
)
