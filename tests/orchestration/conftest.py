"""One simulated district and one real pipeline run over three days, shared by the module's tests.

The run is a backfill of three daily partitions through the real job (`zhihui run`'s code path)
into a private ZHIHUI_HOME and DAGSTER_HOME; the simulator stays up for the whole session so
other tests (two concurrent runs) can pull from it too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

START, END = date(2025, 6, 1), date(2025, 6, 3)


@dataclass(frozen=True)
class PipelineRun:
    home: Path
    dagster_home: Path
    run_id: str
    published: bool
    failures: list[str]
    sim_env: dict[str, str]


@pytest.fixture(scope="session")
def simulated_district(tmp_path_factory) -> Iterator[dict[str, str]]:
    from simulator import Simulation

    with Simulation(tmp_path_factory.mktemp("sim"), start=START, days=3, appeals_per_day=100) as sim:
        yield dict(sim.env)


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory, simulated_district) -> Iterator[PipelineRun]:
    from orchestration.pipeline_run import run_pipeline

    home = tmp_path_factory.mktemp("zhihui_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZHIHUI_HOME", str(home))
        patch.delenv("DAGSTER_HOME", raising=False)
        for name, value in simulated_district.items():
            patch.setenv(name, value)
        outcome = run_pipeline(START, END, log_level="WARNING")
        yield PipelineRun(
            home=home,
            dagster_home=Path(os.environ["DAGSTER_HOME"]),
            run_id=outcome.run_id,
            published=outcome.published,
            failures=outcome.failures,
            sim_env=simulated_district,
        )
