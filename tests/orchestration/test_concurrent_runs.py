"""Two `zhihui run` launched at once against one warehouse: they take turns on the writer lock, both succeed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse.settings import REPO_ROOT

pytestmark = pytest.mark.slow


def test_two_runs_launched_at_once_both_exit_zero(tmp_path, simulated_district):
    env = {**os.environ, **simulated_district, "ZHIHUI_HOME": str(tmp_path / "home")}
    env.pop("DAGSTER_HOME", None)
    zhihui = Path(sys.executable).with_name("zhihui")  # the installed console script, as a user runs it
    command = [str(zhihui), "run", "--start", "2025-06-01", "--end", "2025-06-01"]
    started = time.monotonic()
    runs = [
        subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    print(f"two concurrent runs took {time.monotonic() - started:.0f} s")
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-3000:]
        assert "Published the mart" in output
