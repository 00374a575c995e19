"""Unit tests of the feed checks, the drop-folder sensor and the schedules' windows."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import dagster as dg
import duckdb

from connectors.channels.hotline import HotlineConnector
from orchestration.checks.schema_drift import evaluate_schema_drift
from orchestration.checks.volume import volume_verdict
from orchestration.schedules import window_tags
from orchestration.sensors import new_complete_files, petition_drop_folder
from warehouse.landing import ensure_raw_tables


def test_volume_is_not_judged_without_history_and_warns_on_a_tenfold_drop():
    assert volume_verdict([5.0]).normal
    assert volume_verdict([100.0, 90.0, 110.0, 100.0]).normal
    assert not volume_verdict([10.0, 90.0, 110.0, 100.0]).normal
    assert volume_verdict([1.0, 2.0, 3.0, 2.0]).normal  # a tiny baseline is not judged


def test_an_unexpected_payload_field_is_recorded_and_warned_not_dropped():
    con = duckdb.connect()
    ensure_raw_tables(con, ["hotline"])
    payload = {field: "" for field in HotlineConnector.expected_fields} | {"order_no": "RX1", "new_field": 1}
    con.execute(
        "insert into raw.loads (load_id, channel, started_at, status) values ('L1', 'hotline', ?, 'succeeded')",
        [datetime.now(UTC)],
    )
    con.execute("insert into raw.hotline values ('RX1', '1', ?, 'h', 'L1', now())", [json.dumps(payload)])
    result = evaluate_schema_drift(con, HotlineConnector)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert con.execute("select field, n_records from raw.schema_drift").fetchall() == [("new_field", 1)]


def test_the_sensor_runs_only_for_complete_files_and_remembers_them(tmp_path, monkeypatch):
    monkeypatch.setenv("PETITION_DROP_DIR", str(tmp_path))
    data = b"<x/>"
    (tmp_path / "XF_20250601_001.xml").write_bytes(data)
    (tmp_path / "XF_20250601_002.xml").write_bytes(data)  # no .md5 yet: still being written
    (tmp_path / "XF_20250601_001.xml.md5").write_text(hashlib.md5(data).hexdigest())
    assert list(new_complete_files(tmp_path, {})) == ["XF_20250601_001.xml"]

    first = petition_drop_folder(dg.build_sensor_context(cursor=None))
    assert len(first.run_requests) == 1
    again = petition_drop_folder(dg.build_sensor_context(cursor=first.cursor))
    assert not again.run_requests


def test_the_hourly_ingest_covers_yesterday_and_today():
    tags = window_tags(date(2025, 6, 1), date(2025, 6, 2))
    assert tags["dagster/asset_partition_range_start"] == "2025-06-01"
    assert tags["dagster/asset_partition_range_end"] == "2025-06-02"
