"""The real Dagster webserver over the project's definitions answers GraphQL: asset graph, latest run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.slow

QUERY = """
{
  assetNodes { assetKey { path } dependencyKeys { path } }
  runsOrError(limit: 1) { ... on Runs { results { runId status } } }
}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_webserver_serves_the_asset_graph_and_the_latest_run(pipeline_run):
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(pipeline_run.dagster_home), "ZHIHUI_HOME": str(pipeline_run.home)}
    command = [sys.executable, "-m", "dagster_webserver", "-m", "orchestration.definitions", "-h", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "-p", str(port)], cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        answer = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                answer = requests.post(f"http://127.0.0.1:{port}/graphql", json={"query": QUERY}, timeout=30).json()
                if answer.get("data", {}).get("assetNodes"):
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        assert answer and answer.get("data"), answer
        keys = {"/".join(node["assetKey"]["path"]) for node in answer["data"]["assetNodes"]}
        assert {"raw/hotline", "mart/kpi_daily", "published/zhihui"} <= keys
        published = next(n for n in answer["data"]["assetNodes"] if n["assetKey"]["path"] == ["published", "zhihui"])
        assert ["mart", "kpi_daily"] in [dep["path"] for dep in published["dependencyKeys"]]
        latest = answer["data"]["runsOrError"]["results"][0]
        assert latest == {"runId": pipeline_run.latest_run_id, "status": "SUCCESS"}
    finally:
        server.terminate()
        server.wait(timeout=30)
