"""Shared fixtures: a scriptable HTTP server on localhost, and a private ZHIHUI_HOME."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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
