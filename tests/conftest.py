"""Shared fixtures: a scriptable HTTP server on localhost, and a private ZHIHUI_HOME."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest

from tests.support.scripted_server import Answer, ScriptedServer, Seen


@pytest.fixture
def scripted_server() -> Iterator[Callable[[Callable[[Seen], Answer]], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(respond: Callable[[Seen], Answer]) -> ScriptedServer:
        server = ScriptedServer(respond)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def zhihui_home(tmp_path, monkeypatch):
    home = tmp_path / "zhihui_home"
    monkeypatch.setenv("ZHIHUI_HOME", str(home))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    return home


class PipelineWorld:
    """A simulated district served on localhost and a private ZHIHUI_HOME, run through the real pipeline.

    One is shared by the whole session (`published_world`): tests that only read what the
    pipeline published use it instead of paying for a run of their own.
    """

    def __init__(self, root, start, days: int, appeals_per_day: int) -> None:
        from simulator import Simulation

        self.home = root / "zhihui_home"
        # through the simulated "today" (the clock stands early on the day after the last day):
        # a record updated after midnight is in that day's window, not the last day's
        self.start, self.end = start, start + timedelta(days=days)
        self.simulation = Simulation(root / "simulator", start=start, days=days, appeals_per_day=appeals_per_day)
        self.outcomes: list = []
        self._saved_env: dict[str, str | None] = {}

    def __enter__(self) -> PipelineWorld:
        self.simulation.start()
        self._set_env({**self.simulation.env, "ZHIHUI_HOME": str(self.home), "DAGSTER_HOME": None})
        return self

    def __exit__(self, *exc: object) -> None:
        self.simulation.stop()
        self._set_env(self._saved_env, remember=False)

    def run(self, start=None, end=None):
        from orchestration.pipeline_run import run_pipeline

        outcome = run_pipeline(start or self.start, end or self.end)
        self.outcomes.append(outcome)
        return outcome

    @property
    def locations(self):
        from warehouse.settings import Locations

        return Locations(self.home)

    def published(self):
        import duckdb

        return duckdb.connect(str(self.locations.published_path), read_only=True)

    def _set_env(self, values: dict[str, str | None], remember: bool = True) -> None:
        for name, value in values.items():
            if remember:
                self._saved_env[name] = os.environ.get(name)
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def published_world(tmp_path_factory) -> Iterator[PipelineWorld]:
    """Seven simulated days at 150 appeals a day, run once through `zhihui run` and published."""
    with PipelineWorld(tmp_path_factory.mktemp("published_world"), date(2025, 6, 1), 7, 150) as world:
        outcome = world.run()
        assert outcome.published, outcome.failures
        yield world
