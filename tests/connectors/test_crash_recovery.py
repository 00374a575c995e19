"""An ingestion killed with SIGKILL mid-way, then run again, lands exactly what an uninterrupted run lands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import orjson

from connectors.registry import CHANNEL_KEYS
from tests.connectors.conftest import WINDOW
from tests.connectors.ingestion import ingest, landed_set

REPO = Path(__file__).resolve().parents[2]


def run_all_channels(db: Path, env_file: Path, kill_after_batches: int | None = None) -> int:
    """Ingest every channel in a subprocess; SIGKILL it once it reported this many landed batches."""
    command = [sys.executable, "-m", "tests.connectors.ingestion", str(db), str(env_file)]  # the simulator stays here
    command += [WINDOW.start.isoformat(), WINDOW.end.isoformat(), "1", "7"]  # a batch per page of 7
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    landed = 0
    for line in process.stdout:
        landed += line.startswith("landed ")
        if kill_after_batches is not None and landed >= kill_after_batches:
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    process.stdout.close()
    return process.returncode


def snapshot(db: Path) -> dict[str, set[tuple[str, str]]]:
    con = duckdb.connect(str(db))
    try:
        return {channel: landed_set(con, channel) for channel in CHANNEL_KEYS}
    finally:
        con.close()


def test_a_run_killed_mid_ingestion_then_rerun_lands_the_same_set_as_a_clean_run(simulate, tmp_path):
    sim = simulate()
    env_file = tmp_path / "env.json"
    env_file.write_bytes(orjson.dumps(sim.env))

    clean = tmp_path / "clean.duckdb"
    con = duckdb.connect(str(clean))
    for channel in CHANNEL_KEYS:
        ingest(con, channel, sim.env, WINDOW)
    con.close()

    crashed = tmp_path / "crashed.duckdb"
    assert run_all_channels(crashed, env_file, kill_after_batches=9) == -signal.SIGKILL
    partial = snapshot(crashed)
    assert 0 < sum(map(len, partial.values())) < sum(map(len, snapshot(clean).values()))
    assert run_all_channels(crashed, env_file, kill_after_batches=40) == -signal.SIGKILL  # killed again, later
    assert run_all_channels(crashed, env_file) == 0

    assert snapshot(crashed) == snapshot(clean)
    con = duckdb.connect(str(crashed))
    unfinished = con.execute("select count(*) from raw.loads where status = 'running'").fetchone()[0]
    con.close()
    assert unfinished == 2  # the two killed loads stay visible as never finished
