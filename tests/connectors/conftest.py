"""A small simulated district per test (its own folder, faults as asked) and a DuckDB warehouse."""

from __future__ import annotations

import shutil
import threading
from datetime import date, timedelta

import duckdb
import pytest

from connectors.core.window import DateWindow
from simulator import FaultPlan, Simulation

START = date(2025, 6, 1)
DAYS = 3
APPEALS_PER_DAY = 80
SEED = 7
WINDOW = DateWindow(START, START + timedelta(days=DAYS))  # through the simulator's "today"


def start_simulation(workdir, faults: FaultPlan | None = None, appeals_per_day: int = APPEALS_PER_DAY) -> Simulation:
    return Simulation(
        workdir, start=START, days=DAYS, appeals_per_day=appeals_per_day, seed=SEED, faults=faults
    ).start()


@pytest.fixture(scope="session")
def generated_world(tmp_path_factory):
    """The world generated once; each simulation copies it (generation is keyed by its parameters)."""
    folder = tmp_path_factory.mktemp("world")
    start_simulation(folder).stop()
    return folder / "world.sqlite"


@pytest.fixture
def simulate(tmp_path, generated_world):
    """simulate(faults=…) → a started Simulation of the shared small world, stopped after the test."""
    started: list[Simulation] = []

    def start(faults: FaultPlan | None = None) -> Simulation:
        workdir = tmp_path / f"sim{len(started)}"
        workdir.mkdir()
        shutil.copy(generated_world, workdir / "world.sqlite")
        started.append(start_simulation(workdir, faults))
        return started[-1]

    yield start
    for sim in started:  # a server takes up to half a second to stop: let that overlap the next test
        threading.Thread(target=sim.stop, daemon=True).start()


@pytest.fixture
def warehouse(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield con
    con.close()
