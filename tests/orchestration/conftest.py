"""The orchestration tests read the session's shared pipeline run (tests/conftest.py: `published_world`).

That run is a backfill of seven daily partitions through the real job (`zhihui run`'s code path)
into a private ZHIHUI_HOME and DAGSTER_HOME; its simulator stays up for the whole session, so
the two-concurrent-runs test pulls from the same feeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class PipelineRun:
    home: Path
    dagster_home: Path
    run_id: str  # the first run: the one that landed every record
    latest_run_id: str
    published: bool
    failures: list[str]
    sim_env: dict[str, str]


@pytest.fixture
def simulated_district(published_world) -> dict[str, str]:
    return dict(published_world.simulation.env)


@pytest.fixture
def pipeline_run(published_world) -> PipelineRun:
    first, latest = published_world.outcomes[0], published_world.outcomes[-1]
    return PipelineRun(
        home=published_world.home,
        dagster_home=published_world.locations.dagster_home,
        run_id=first.run_id,
        latest_run_id=latest.run_id,
        published=first.published,
        failures=first.failures,
        sim_env=dict(published_world.simulation.env),
    )
