"""Deep pages and totals served from indexes and caches answer exactly what the plain queries answer.

Each reference below is the straightforward query a feed's contract describes (count the window,
skip `offset` rows of the order); the servers instead seek from the page starts they served
before and count per cached bucket. Pages are asked in order, out of order and after a clock move.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import orjson
import requests

from simulator.clock import LOCAL_TZ, day_start_ms
from simulator.feeds.opinion import RETENTION_MS
from simulator.store import StoreReader
from simulator.world.ids import SNOWFLAKE_EPOCH_MS
from tests.simulator.conftest import START
from tests.simulator.helpers import patient_get
from tests.simulator.test_hotline_feed import list_orders, token

CURRENT_IN_WINDOW = """
    from versions v join records r on r.channel = v.channel and r.record_id = v.record_id
    where v.channel = ? and v.valid_from_ms >= ? and v.valid_from_ms < ?
      and v.valid_from_ms <= ? and v.valid_until_ms > ?"""
WENZHENG_IN_DATES = "from records where channel = 'wenzheng' and served_from_ms <= ? and sort_key >= ? and sort_key < ?"


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def city_mgmt_reference(sim, start: int, end: int, offset: int, limit: int) -> dict:
    now, store = sim.clock_ms(), sim.store
    window = ("city_mgmt", start, end, now, now)
    rows = store.rows(
        "select r.base, r.patches" + CURRENT_IN_WINDOW + " order by v.valid_from_ms, v.record_id limit ? offset ?",
        (*window, limit, offset),
    )
    return {
        "success": True,
        "total": store.one("select count(*)" + CURRENT_IN_WINDOW, window)[0],
        "rows": [StoreReader.decode(base, patches, now) for base, patches in rows],
    }


def city_mgmt_page(sim, start: int, end: int, offset: int, limit: int) -> dict:
    response = requests.get(
        f"{sim.env['CITY_MGMT_BASE_URL']}/openapi/cases",
        params={"startTime": start, "endTime": end, "offset": offset, "limit": limit},
        headers={"X-Api-Key": sim.env["CITY_MGMT_API_KEY"]},
        timeout=10,
    )
    return response.json()


def test_city_mgmt_offset_pages_in_any_order_and_after_a_clock_move_match_the_plain_query(sim, clock_at):
    start = day_start_ms(START + timedelta(days=2)) + 3 * 3_600_000  # the last 24 h before the clock
    for end in (start + 86_400_000, start + 86_400_000 - 7 * 60_000):  # whole and partial count buckets
        total = city_mgmt_reference(sim, start, end, 0, 1)["total"]
        assert total > 20
        for offset in [*range(0, total + 7, 7), 14, 0, 35, 3, total - 1]:
            assert city_mgmt_page(sim, start, end, offset, 7) == city_mgmt_reference(sim, start, end, offset, 7)
    with clock_at(sim.clock - timedelta(days=1, hours=6)):  # mid-world: rows drift to later versions
        for offset in (0, 7, 14, 21, 7):
            assert city_mgmt_page(sim, start, end, offset, 7) == city_mgmt_reference(sim, start, end, offset, 7)


def wenzheng_reference(sim, begin: date, end: date, page: int, size: int) -> dict:
    now, store = sim.clock_ms(), sim.store
    span = (now, day_start_ms(begin), day_start_ms(end + timedelta(days=1)))
    total = store.one("select count(*) " + WENZHENG_IN_DATES, span)[0]
    rows = store.rows(
        "select base, patches "
        + WENZHENG_IN_DATES
        + " order by sort_key desc, cast(record_id as integer) desc limit ? offset ?",
        (*span, size, (page - 1) * size),
    )
    messages = [StoreReader.decode(base, patches, now) for base, patches in rows]
    return {"result": "ok", "page": page, "pages": -(-total // size), "total": total, "list": messages}


def wenzheng_page(sim, begin: date, end: date, page: int, size: int) -> dict:
    params = {"begin": begin.isoformat(), "end": end.isoformat(), "page": page, "size": size}
    return patient_get(f"{sim.env['WENZHENG_BASE_URL']}/api/messages", params=params).json()


def test_wenzheng_numbered_pages_in_any_order_and_after_a_clock_move_match_the_plain_query(sim, clock_at):
    begin, end = START, START + timedelta(days=3)
    pages = wenzheng_reference(sim, begin, end, 1, 4)["pages"]
    assert pages > 5
    for page in [*range(1, pages + 2), 3, 1, 5, 2]:
        assert wenzheng_page(sim, begin, end, page, 4) == wenzheng_reference(sim, begin, end, page, 4)
    with clock_at(sim.clock - timedelta(days=1, hours=6)):  # fewer messages yet, older replies
        for page in (1, 2, 3, 2):
            assert wenzheng_page(sim, begin, end, page, 4) == wenzheng_reference(sim, begin, end, page, 4)


def test_hotline_totals_match_the_plain_count_for_any_window(sim, clock_at):
    access = token(sim)
    lower = datetime(2025, 5, 31, 23, 53, 11, tzinfo=LOCAL_TZ)
    for upper in (lower + timedelta(minutes=3), lower + timedelta(hours=26, minutes=17), lower + timedelta(days=5)):
        for moment in (sim.clock, sim.clock - timedelta(hours=30)):
            with clock_at(moment):
                body = list_orders(
                    sim,
                    access,
                    updated_from=f"{lower:%Y-%m-%dT%H:%M:%S}",
                    updated_to=f"{upper:%Y-%m-%dT%H:%M:%S}",
                    page_size=500,
                )
                now = sim.clock_ms()
                window = ("hotline", epoch_ms(lower), epoch_ms(upper), now, now)
                assert body["data"]["total"] == sim.store.one("select count(*)" + CURRENT_IN_WINDOW, window)[0]


def test_opinion_ids_carry_their_publication_time_so_retention_is_an_id_range(sim, clock_at):
    for sort_key, served_from in sim.store.rows(
        "select sort_key, served_from_ms from records where channel = 'opinion'"
    ):
        assert (sort_key >> 22) + SNOWFLAKE_EPOCH_MS == served_from
    env = sim.env
    for moment in (sim.clock, sim.clock - timedelta(days=1, hours=5), sim.clock + timedelta(days=29, hours=12)):
        with clock_at(moment):
            now = sim.clock_ms()
            expected = [
                base
                for (base,) in sim.store.rows(
                    "select base from records where channel = 'opinion' and served_from_ms <= ?"
                    " and served_from_ms > ? order by sort_key",
                    (now, now - RETENTION_MS),
                )
            ]
            served = requests.get(
                f"{env['OPINION_BASE_URL']}/v1/mentions",
                params={"limit": 1000},
                headers={"Authorization": f"Token {env['OPINION_TOKEN']}"},
                timeout=10,
            ).content.splitlines()
            assert served == expected
            if expected:
                since = orjson.loads(expected[len(expected) // 2])["id"]
                after = requests.get(
                    f"{env['OPINION_BASE_URL']}/v1/mentions",
                    params={"since_id": since, "limit": 1000},
                    headers={"Authorization": f"Token {env['OPINION_TOKEN']}"},
                    timeout=10,
                ).content.splitlines()
                assert after == expected[len(expected) // 2 + 1 :]
