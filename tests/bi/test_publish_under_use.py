"""The published mart under use: a BI reader in a loop while ten publishes replace the file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.bi.sample_mart import write_sample_mart
from warehouse.publish import publish_mart
from warehouse.settings import Locations

READER = Path(__file__).with_name("published_reader.py")
PUBLISHES = 10


def test_a_reader_in_a_loop_sees_one_whole_mart_through_ten_publishes_and_never_a_lock(tmp_path):
    locations = Locations(tmp_path / "home").ensure()
    write_sample_mart(locations, seed=0, size=300)
    publish_mart(locations, run_id="run-00", window=("2025-06-01", "2025-06-07"))
    stop_file = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(locations.published_path), str(stop_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.5)  # the reader is querying before the first replace
        for number in range(1, PUBLISHES + 1):
            write_sample_mart(locations, seed=number, size=300 + 97 * number)  # every mart differs in size
            publish_mart(locations, run_id=f"run-{number:02d}", window=("2025-06-01", "2025-06-07"))
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        stop_file.touch()
        output, _ = reader.communicate(timeout=60)
    seen = json.loads(output)
    print(f"reader: {seen['queries']} queries over {len(seen['run_ids'])} publications")

    assert seen["n_errors"] == 0, seen["errors"]
    assert seen["queries"] >= 20
    assert seen["run_ids"][-1] == f"run-{PUBLISHES:02d}"
    assert len(seen["run_ids"]) >= 3, "the reader should have seen the mart replaced under it"


@pytest.mark.slow
def test_a_reader_in_a_loop_sees_one_whole_mart_while_a_real_run_publishes(pipeline_published, tmp_path):
    locations = pipeline_published.locations
    stop_file = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(locations.published_path), str(stop_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        outcome = pipeline_published.run_again()
        time.sleep(0.3)
    finally:
        stop_file.touch()
        output, _ = reader.communicate(timeout=60)
    seen = json.loads(output)
    print(f"reader during a real run: {seen['queries']} queries over {len(seen['run_ids'])} publications")

    assert outcome.published, outcome.failures
    assert seen["n_errors"] == 0, seen["errors"]
    assert seen["run_ids"][-1] == outcome.run_id
    assert len(seen["run_ids"]) == 2


def test_a_write_ahead_log_left_beside_the_published_file_does_not_break_the_next_publication(tmp_path):
    locations = Locations(tmp_path / "home").ensure()
    write_sample_mart(locations, seed=1, size=50)
    publish_mart(locations, run_id="first")
    # a BI user opens the copy read-write, changes it, and the tool is killed: a WAL is left behind
    crash = f"import duckdb, os; c = duckdb.connect({str(locations.published_path)!r}); "
    crash += "c.execute('delete from mart.fct_complaint'); os._exit(0)"
    subprocess.run([sys.executable, "-c", crash], check=True)
    assert locations.published_path.with_name("zhihui.duckdb.wal").exists()

    publish_mart(locations, run_id="second")

    with duckdb.connect(str(locations.published_path), read_only=True) as con:
        assert con.execute(
            "select run_id, (select count(*) from mart.fct_complaint) from mart.publication"
        ).fetchone() == (
            "second",
            50,
        )
