"""One small simulated district shared by the simulator's conformance tests."""

from __future__ import annotations

import contextlib
from datetime import date, datetime

import pytest

from simulator import Simulation

START = date(2025, 6, 1)
DAYS = 3
VOLUME = 150


@pytest.fixture(scope="session")
def sim(tmp_path_factory):
    with Simulation(tmp_path_factory.mktemp("sim"), START, days=DAYS, appeals_per_day=VOLUME) as simulation:
        yield simulation


@pytest.fixture
def clock_at(sim):
    """Move the simulated clock for one test, and put it back afterwards."""
    original = sim.clock

    @contextlib.contextmanager
    def moved(moment: datetime):
        sim.set_clock(moment)
        try:
            yield sim
        finally:
            sim.set_clock(original)

    return moved
