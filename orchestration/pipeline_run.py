"""`zhihui run`: one Dagster run of the main job over a window of days, recorded in the instance."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import dagster as dg

from orchestration.instance import get_instance
from orchestration.partitions import PARTITION_RANGE_TAGS, WINDOW_TAGS
from warehouse.settings import Locations


@dataclass(frozen=True)
class RunOutcome:
    run_id: str
    success: bool
    published: bool
    failures: list[str]


def run_pipeline(start: date, end: date, log_level: str = "INFO") -> RunOutcome:
    if end < start:
        raise ValueError(f"--end {end} is before --start {start}")
    locations = Locations.from_env().ensure()
    os.environ["ZHIHUI_HOME"] = str(locations.home)  # the same home for every step and for dbt
    instance = get_instance(locations)
    from orchestration.definitions import defs  # imported late: parsing the dbt manifest takes seconds

    job = defs.resolve_job_def("zhihui_pipeline")
    window = (start.isoformat(), end.isoformat())
    result = job.execute_in_process(
        instance=instance,
        tags={**dict(zip(PARTITION_RANGE_TAGS, window, strict=True)), **dict(zip(WINDOW_TAGS, window, strict=True))},
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        raise_on_error=False,
    )
    published = any(
        event.asset_key == dg.AssetKey(["published", "zhihui"]) for event in result.get_asset_materialization_events()
    )
    failures = [
        f"{event.step_key}: {event.step_failure_data.error.message.strip() if event.step_failure_data.error else ''}"
        for event in result.get_step_failure_events()
    ]
    return RunOutcome(run_id=result.run_id, success=result.success, published=published, failures=failures)
