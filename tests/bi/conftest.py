"""Published marts for the BI tests: a small made-up one (fast), and one from the real pipeline."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pytest

from tests.bi.sample_mart import write_sample_mart
from warehouse.publish import publish_mart
from warehouse.settings import REPO_ROOT, Locations

if TYPE_CHECKING:  # importing orchestration parses the dbt project: only when a test needs it
    from orchestration.pipeline_run import RunOutcome

PIPELINE_START, PIPELINE_END = date(2025, 6, 1), date(2025, 6, 7)


@pytest.fixture(scope="session")
def sample_published(tmp_path_factory) -> Locations:
    locations = Locations(tmp_path_factory.mktemp("sample") / "home").ensure()
    write_sample_mart(locations, seed=7, size=900)
    publish_mart(locations, run_id="sample-run", window=("2025-06-01", "2025-06-07"))
    return locations


@dataclass(frozen=True)
class PipelineHome:
    locations: Locations
    run_again: Callable[[], RunOutcome]  # another real run over the same simulated week


@pytest.fixture(scope="session")
def pipeline_published(tmp_path_factory) -> Iterator[PipelineHome]:
    """One real run over a simulated week (30–60 s), shared; the feeds stay up for another run."""
    if not (REPO_ROOT / "dbt_project" / "models" / "marts" / "fct_complaint.sql").exists():
        pytest.skip("the dbt marts are not in the tree yet")
    from orchestration.pipeline_run import run_pipeline
    from simulator import Simulation

    root = tmp_path_factory.mktemp("pipeline")
    saved = dict(os.environ)
    os.environ["ZHIHUI_HOME"] = str(root / "home")
    os.environ.pop("DAGSTER_HOME", None)
    try:
        with Simulation(root / "sim", start=PIPELINE_START, days=7, appeals_per_day=150) as sim:
            os.environ.update(sim.env)
            outcome = run_pipeline(PIPELINE_START, PIPELINE_END)
            assert outcome.published, outcome.failures
            yield PipelineHome(Locations.from_env(), lambda: run_pipeline(PIPELINE_START, PIPELINE_END))
    finally:
        os.environ.clear()
        os.environ.update(saved)
