"""Published marts for the BI tests: a small made-up one (fast), and one from the real pipeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pytest

from tests.bi.sample_mart import write_sample_mart
from warehouse.publish import publish_mart
from warehouse.settings import Locations

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


@pytest.fixture
def pipeline_published(published_world) -> PipelineHome:
    """The session's real run over a simulated week (tests/conftest.py); its feeds stay up for another run."""
    return PipelineHome(published_world.locations, published_world.run)
