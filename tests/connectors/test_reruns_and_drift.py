"""Pulling again, and feeds that move while they are paged: landing stays idempotent and complete."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest

from connectors.core.window import LOCAL_TZ, DateWindow
from connectors.registry import CHANNEL_KEYS
from tests.connectors.conftest import WINDOW
from tests.connectors.ingestion import ingest, landed_ids, landed_set


def truth_ids(sim, channel: str) -> set[str]:
    with sim.truth_path.open(encoding="utf-8") as rows:
        return {row["source_record_id"] for row in csv.DictReader(rows) if row["channel"] == channel}


def test_a_window_pulled_twice_lands_no_duplicates_on_any_channel(simulate, warehouse):
    sim = simulate()
    first = {channel: ingest(warehouse, channel, sim.env, WINDOW) for channel in CHANNEL_KEYS}
    before = {channel: landed_set(warehouse, channel) for channel in CHANNEL_KEYS}
    for channel in CHANNEL_KEYS:
        # a re-pull from no cursor too: the window feeds pull it all again, the cursor feeds restart
        again = ingest(warehouse, channel, sim.env, WINDOW)
        assert again.counts.n_new == 0, channel
        assert again.counts.reconciles and first[channel].counts.reconciles
        assert landed_set(warehouse, channel) == before[channel]
        assert landed_ids(warehouse, channel) == truth_ids(sim, channel), channel


@pytest.mark.parametrize("channel", ["city_mgmt", "hotline", "wenzheng"])
def test_records_changing_and_arriving_while_a_window_is_paged_are_all_landed_once(
    channel, simulate, warehouse, monkeypatch
):
    monkeypatch.setattr(f"connectors.channels.{channel}.PAGE_SIZE", 3)
    sim = simulate()
    sim.set_clock(datetime(2025, 6, 2, 9, 0, tzinfo=LOCAL_TZ))  # a busy morning: the feed moves while paged
    served = [truth_ids(sim, channel)]  # as of each page's request

    def move_clock(load, batch):  # between pages rows change (city_mgmt: move to the end) and new ones arrive
        sim.set_clock(sim.clock + timedelta(minutes=15))
        served.append(truth_ids(sim, channel))

    load = ingest(warehouse, channel, sim.env, WINDOW, batch_rows=1, on_batch=move_clock, prefetch=False)
    assert load.counts.n_batches >= 4
    assert load.counts.reconciles and load.counts.n_new == load.counts.n_landed  # no version landed twice
    if channel == "wenzheng":  # newest first: what is posted meanwhile lands with the next pull
        assert landed_ids(warehouse, channel) >= served[0]
    else:  # oldest first: rows that moved and rows that arrived come at the end of the same walk
        assert landed_ids(warehouse, channel) == served[-2]  # served when the last page was asked for


def test_a_sync_token_expiring_midway_restarts_a_full_sync_and_loses_nothing(simulate, warehouse, monkeypatch):
    monkeypatch.setattr("connectors.channels.minsheng.PAGE_SIZE", 5)
    sim = simulate()
    expired = []

    def expire_tokens_once(load, batch):
        if not expired:  # a day passes between two pages: the token just issued is too old now
            expired.append(batch.cursor["next_token"])
            sim.set_clock(sim.clock + timedelta(hours=25))

    load = ingest(warehouse, "minsheng", sim.env, WINDOW, batch_rows=1, on_batch=expire_tokens_once, prefetch=False)
    assert load.counts.reconciles
    assert load.cursor_after["next_token"] != expired[0]
    assert landed_ids(warehouse, "minsheng") == truth_ids(sim, "minsheng")
    withdrawn = warehouse.execute(
        "select count(*) from raw.minsheng where payload::json->>'_deleted' = 'true'"
    ).fetchone()[0]
    assert withdrawn > 0


def test_a_wenji_export_not_yet_available_is_remembered_and_fetched_by_a_later_run(simulate, warehouse):
    sim = simulate()
    sim.set_clock(datetime(2025, 6, 3, 0, 30, tzinfo=LOCAL_TZ))  # 2 June's export comes at 01:00
    first = ingest(warehouse, "wenji", sim.env, DateWindow(date(2025, 6, 1), date(2025, 6, 2)))
    assert first.cursor_after == {"missing": ["2025-06-02"]}
    assert first.counts.reconciles and first.counts.n_fetched > 0
    sim.set_clock(datetime(2025, 6, 3, 3, 0, tzinfo=LOCAL_TZ))
    second = ingest(warehouse, "wenji", sim.env, DateWindow(date(2025, 6, 1), date(2025, 6, 1)))
    assert second.cursor_after == {"missing": []}  # a run over another day still caught up
    late = "select count(*) from raw.wenji where payload::json->>'_export_date' = '2025-06-02'"
    assert warehouse.execute(late).fetchone()[0] > 0


def test_an_opinion_cursor_never_goes_back_and_a_second_run_fetches_nothing_old(simulate, warehouse):
    sim = simulate()
    first = ingest(warehouse, "opinion", sim.env, WINDOW)
    second = ingest(warehouse, "opinion", sim.env, WINDOW)
    assert second.counts.n_fetched == 0
    assert second.cursor_after == first.cursor_after
    assert len(first.cursor_after["since_id"]) == 19
