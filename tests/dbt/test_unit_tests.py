"""Every dbt unit test of the project passes. Production builds leave them out (DBT_BUILD_ARGS), so CI
runs them here, over a copy of the warehouse a real run built (unit tests read their parents' columns)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow


def test_every_unit_test_passes(published_world, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(published_world.locations.warehouse_path, warehouse)
    target = tmp_path / "target"
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "test",
            "--select",
            "test_type:unit",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "ZHIHUI_WAREHOUSE_PATH": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]

    defined = set(json.loads((target / "manifest.json").read_text())["unit_tests"])
    ran = {r["unique_id"]: r["status"] for r in json.loads((target / "run_results.json").read_text())["results"]}
    assert len(defined) >= 12
    assert ran == dict.fromkeys(defined, "pass")
