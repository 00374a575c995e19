"""Every fault the simulator can inflict, on every feed it applies to: nothing lost, nothing doubled.

Each case pulls one channel from a faulty simulator (twice where the fault is about the next
run: a file left half-written, a stored sync token refused) and compares what landed with a
fault-free pull of the same world. Stalls are short, and so is the read timeout.
"""

from __future__ import annotations

import logging
import shutil

import duckdb
import pytest

from simulator import FaultPlan
from simulator.faults import FEED_KINDS, HTTP_KINDS
from tests.connectors.conftest import WINDOW, start_simulation
from tests.connectors.ingestion import ingest, landed_ids, landed_set, quarantined_ids

# Small pages, so that a few hundred records take many requests and faults land mid-listing.
SMALL_PAGES = {
    "hotline": 20,
    "city_mgmt": 15,
    "opinion": 10,
    "wenzheng": 10,
    "minsheng": 10,
}
CASES = sorted(
    (channel, kind)
    for channel in ("hotline", "city_mgmt", "petition", "opinion", "wenzheng", "wenji", "minsheng")
    for kind in (HTTP_KINDS if channel != "petition" else set()) | FEED_KINDS.get(channel, set())
)


@pytest.fixture(scope="module")
def fault_free(tmp_path_factory, generated_world):
    """What a fault-free pull of the same world lands, per channel (computed once)."""
    folder = tmp_path_factory.mktemp("fault_free")
    shutil.copy(generated_world, folder / "world.sqlite")
    sim = start_simulation(folder)
    con = duckdb.connect(str(folder / "warehouse.duckdb"))
    for channel in {channel for channel, _ in CASES}:
        ingest(con, channel, sim.env, WINDOW)
    yield {channel: landed_set(con, channel) for channel, _ in CASES}
    con.close()
    sim.stop()


def small_pages(monkeypatch, channel: str) -> None:
    if channel in SMALL_PAGES:
        monkeypatch.setattr(f"connectors.channels.{channel}.PAGE_SIZE", SMALL_PAGES[channel])


@pytest.mark.parametrize(("channel", "kind"), CASES, ids=[f"{c}-{k}" for c, k in CASES])
def test_a_channel_under_this_fault_lands_exactly_what_a_fault_free_pull_lands(
    channel, kind, simulate, warehouse, fault_free, monkeypatch, caplog
):
    if kind != "sync_token_expired":  # a whole sync per refusal: many pages would never finish
        small_pages(monkeypatch, channel)
    next_run_fault = kind in ("sync_token_expired", "md5_mismatch")
    plan = FaultPlan(
        rate=1.0 if next_run_fault else 0.4, kinds={kind}, feeds={channel}, stall_seconds=0.5, retry_after_seconds=0
    )
    sim = simulate(plan)
    caplog.set_level(logging.INFO, logger="connectors")

    first = ingest(warehouse, channel, sim.env, WINDOW)
    assert first.counts.reconciles
    if next_run_fault:
        sim.set_clock(sim.clock)  # same moment: feeds unchanged, half-written files completed
        assert ingest(warehouse, channel, sim.env, WINDOW).counts.reconciles

    expected = fault_free[channel]
    landed = landed_set(warehouse, channel)
    if kind == "truncated_line":
        assert quarantined_ids(warehouse, channel), "the fault never fired"
        assert landed < expected
        assert landed_ids(warehouse, channel) | quarantined_ids(warehouse, channel) == {i for i, _ in expected}
        assert first.cursor_after["since_id"] == max((i for i, _ in expected), key=int)
    else:
        assert landed == expected
        assert not quarantined_ids(warehouse, channel)
        fired = {
            "md5_mismatch": first.counts.n_fetched < len(expected),
            "sync_token_expired": any("full sync" in m for m in caplog.messages),
        }.get(kind, any("retry" in m for m in caplog.messages))
        assert fired, "the fault never fired"
