"""`zhihui run` end to end: simulated feeds → raw → dbt → the published BI copy, twice over the same window."""

from __future__ import annotations

import csv

import duckdb


def served_records(world) -> set[tuple[str, str]]:
    with open(world.simulation.truth_path, encoding="utf-8") as handle:
        return {(row["channel"], row["source_record_id"]) for row in csv.DictReader(handle)}


def test_every_served_record_lands_in_exactly_one_complaint(published_world):
    with published_world.published() as con:
        bridged = con.execute("select channel, source_record_id from mart.bridge_complaint_source").fetchall()
        orphans = con.execute(
            "select count(*) from mart.bridge_complaint_source b "
            "left join mart.fct_complaint c using (complaint_id) where c.complaint_id is null"
        ).fetchone()[0]
    assert len(bridged) == len(set(bridged)), "a source record sits in two complaints"
    assert set(bridged) == served_records(published_world)
    assert orphans == 0


def test_raw_counts_reconcile_for_every_load(published_world):
    with duckdb.connect(str(published_world.locations.warehouse_path), read_only=True) as con:
        unreconciled = con.execute(
            "select channel, n_fetched, n_landed, n_quarantined from raw.loads "
            "where n_fetched <> n_landed + n_quarantined or status <> 'succeeded'"
        ).fetchall()
    assert unreconciled == []


def test_a_second_run_over_the_same_window_changes_no_count_and_no_id(published_world):
    def snapshot():
        with published_world.published() as con:
            ids = con.execute("select complaint_id from mart.fct_complaint order by 1").fetchall()
            bridge = con.execute("select count(*) from mart.bridge_complaint_source").fetchone()[0]
        with duckdb.connect(str(published_world.locations.warehouse_path), read_only=True) as con:
            raw = {
                channel: con.execute(f"select count(*) from raw.{channel}").fetchone()[0]
                for (channel,) in con.execute("select distinct channel from raw.loads").fetchall()
            }
        return ids, bridge, raw

    before = snapshot()
    outcome = published_world.run()
    assert outcome.published, outcome.failures
    assert snapshot() == before


def test_the_published_copy_says_which_run_and_window_made_it(published_world):
    with published_world.published() as con:
        run_id, start, end = con.execute("select run_id, window_start, window_end from mart.publication").fetchone()
    assert run_id == published_world.outcomes[-1].run_id
    assert (start, end) == (published_world.start, published_world.end)
