"""The 问政江西 server as a vendor conformance suite would check it (feeds/wenzheng.md)."""

from __future__ import annotations

import time

import requests

from tests.simulator.helpers import patient_get, truth_ids


def messages(sim, **params) -> requests.Response:
    return patient_get(f"{sim.env['WENZHENG_BASE_URL']}/api/messages", params=params)


def test_pages_are_newest_first_and_cover_every_served_message(sim):
    seen, page = [], 1
    while True:
        body = messages(sim, begin="2025-06-01", end="2025-06-04", page=page, size=50).json()
        assert body["result"] == "ok"
        seen += body["list"]
        if page >= body["pages"]:
            break
        page += 1
    assert len(seen) == body["total"]
    assert {str(m["msgId"]) for m in seen} == truth_ids(sim, "wenzheng")
    keys = [(m["postTime"], m["msgId"]) for m in seen]
    assert keys == sorted(keys, reverse=True)
    assert all(isinstance(m["msgId"], int) for m in seen)
    assert {m["state"] for m in seen} <= {"待受理", "办理中", "已回复"}


def test_sizes_over_50_and_bad_dates_are_errors_in_http_200(sim):
    for params in ({"begin": "2025-06-01", "end": "2025-06-01", "size": 51}, {"begin": "6/1", "end": "2025-06-01"}):
        response = messages(sim, **params)
        assert response.status_code == 200 and response.json()["result"] == "error"


def test_more_than_five_requests_a_second_get_429_with_retry_after(sim):
    time.sleep(1.1)
    url = f"{sim.env['WENZHENG_BASE_URL']}/api/messages"
    answers = [requests.get(url, params={"begin": "2025-06-01", "end": "2025-06-01"}, timeout=10) for _ in range(8)]
    limited = [a for a in answers if a.status_code == 429]
    assert limited and limited[0].headers["Retry-After"] == "1"
    assert limited[0].json() == {"result": "error", "message": "访问过于频繁"}
    time.sleep(1.1)
