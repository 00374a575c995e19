"""The asset graph (keys, dependencies, checks) equals the committed snapshot.

Refresh after an intended change: `UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/orchestration/test_asset_graph_snapshot.py`
and commit `asset_graph.snapshot.json`; the failure message shows the diff.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("asset_graph.snapshot.json")


def current_graph() -> dict[str, dict[str, list[str]]]:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    checks: dict[str, list[str]] = {}
    for check_key in graph.asset_check_keys:
        checks.setdefault(check_key.asset_key.to_user_string(), []).append(check_key.name)
    return {
        key.to_user_string(): {
            "group": graph.get(key).group_name,
            "deps": sorted(parent.to_user_string() for parent in graph.get(key).parent_keys),
            "checks": sorted(checks.get(key.to_user_string(), [])),
        }
        for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string())
        if graph.get(key).is_materializable
    }


def test_the_definitions_load_with_jobs_schedules_and_sensor():
    from orchestration.definitions import defs

    assert {"zhihui_pipeline", "zhihui_ingest", "zhihui_build_publish", "zhihui_petition"} <= {
        job.name for job in defs.resolve_all_job_defs()
    }
    assert {s.name for s in defs.schedules} == {"zhihui_ingest_hourly", "zhihui_build_publish_daily"}
    assert {s.name for s in defs.sensors} == {"petition_drop_folder"}


def test_the_asset_graph_equals_the_committed_snapshot():
    graph = json.dumps(current_graph(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(graph, encoding="utf-8")
    assert SNAPSHOT.exists(), f"no {SNAPSHOT.name}: create it with UPDATE_SNAPSHOTS=1"
    expected = SNAPSHOT.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True), graph.splitlines(keepends=True), "snapshot", "definitions", n=1
        )
    )
    assert not diff, f"the asset graph changed (refresh with UPDATE_SNAPSHOTS=1 if intended):\n{diff}"
