"""A seven-day backfill through the real job, then what an auditor asks of it (the session's shared run)."""

from __future__ import annotations

import json
from datetime import date

import dagster as dg
import pytest

from connectors.registry import CONNECTORS
from orchestration.assets.raw import raw_asset_key
from orchestration.lineage import write_lineage
from orchestration.trace import reading, trace_complaint, trace_kpi
from warehouse.settings import Locations

pytestmark = pytest.mark.slow


def test_a_backfill_of_several_days_publishes_and_materialises_every_day_of_the_windowed_feeds(pipeline_run):
    assert pipeline_run.published, pipeline_run.failures
    instance = dg.DagsterInstance.from_config(str(pipeline_run.dagster_home))
    for key, connector_cls in CONNECTORS.items():
        if connector_cls.windowed:
            partitions = instance.get_materialized_partitions(raw_asset_key(key))
            assert {"2025-06-01", "2025-06-02", "2025-06-03"} <= partitions, key


def test_every_raw_asset_reports_counts_and_passes_reconciliation(pipeline_run):
    instance = dg.DagsterInstance.from_config(str(pipeline_run.dagster_home))
    for key in CONNECTORS:
        event = instance.get_latest_materialization_event(raw_asset_key(key))
        metadata = event.asset_materialization.metadata
        assert {"rows_fetched", "rows_landed", "rows_quarantined", "cursor_before", "cursor_after"} <= set(metadata)
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(raw_asset_key(key), "fetched_equals_landed_plus_quarantined")]
        )
        assert all(execution.status.value == "SUCCEEDED" for execution in check.values()), key


def test_trace_shows_each_source_record_with_payload_hash_load_and_run(pipeline_run):
    locations = Locations(pipeline_run.home)
    with reading(locations) as con:
        complaint_id = con.execute(
            "select complaint_id from mart.bridge_complaint_source group by all order by count(*) desc limit 1"
        ).fetchone()[0]
    text = "\n".join(trace_complaint(locations, complaint_id))
    assert complaint_id in text and "sha256" in text and "payload {" in text
    assert pipeline_run.run_id in text  # every record was first landed by this run


def test_trace_kpi_explains_a_kpi_daily_row_without_mismatch(pipeline_run):
    locations = Locations(pipeline_run.home)
    with reading(locations) as con:
        day, district = con.execute("select date, district from mart.kpi_daily order by n_received desc").fetchone()
    text = "\n".join(trace_kpi(locations, day if isinstance(day, date) else date.fromisoformat(str(day)), district))
    assert "response_rate" in text and "complaints counted" in text
    assert "MISMATCH" not in text, text


def test_lineage_follows_kpi_columns_back_to_raw_feed_fields(pipeline_run):
    json_path, html_path = write_lineage(Locations(pipeline_run.home))
    lineage = json.loads(json_path.read_text(encoding="utf-8"))
    sources = lineage["mart.kpi_daily.response_rate"]
    assert any(source["raw"].startswith("raw.") and source["field"] for source in sources), sources
    assert "kpi_daily.response_rate" in html_path.read_text(encoding="utf-8")
