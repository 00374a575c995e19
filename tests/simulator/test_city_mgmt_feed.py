"""The 数字化城管 server as a vendor conformance suite would check it (feeds/city_mgmt.md)."""

from __future__ import annotations

import csv
from datetime import datetime
from importlib import resources

import requests

from tests.simulator.helpers import truth_ids

DAY_MS = 86_400_000


def cases(sim, key: str | None = "default", **params) -> requests.Response:
    headers = {"X-Api-Key": sim.env["CITY_MGMT_API_KEY"] if key == "default" else key} if key else {}
    return requests.get(f"{sim.env['CITY_MGMT_BASE_URL']}/openapi/cases", params=params, headers=headers, timeout=10)


def day_windows(sim):
    start = int(datetime(2025, 5, 31, tzinfo=sim.clock.tzinfo).timestamp() * 1000)
    end = int(sim.clock.timestamp() * 1000) + 1
    return [(s, min(s + DAY_MS, end)) for s in range(start, end, DAY_MS)]


def walk(sim, limit: int = 200) -> list[dict]:
    rows = []
    for start, end in day_windows(sim):
        offset = 0
        while True:
            body = cases(sim, startTime=start, endTime=end, offset=offset, limit=limit).json()
            assert body["success"] is True, body
            rows += body["rows"]
            offset += len(body["rows"])
            if offset >= body["total"]:
                break
    return rows


def test_a_missing_or_wrong_api_key_is_403_auth_failed(sim):
    for key in (None, "wrong"):
        response = cases(sim, key, startTime=0, endTime=1000)
        assert response.status_code == 403
        assert response.json()["success"] is False and response.json()["errorCode"] == "AUTH_FAILED"


def test_windows_over_24_hours_and_limits_over_200_are_param_invalid(sim):
    too_long = cases(sim, startTime=0, endTime=DAY_MS + 1)
    too_many = cases(sim, startTime=0, endTime=DAY_MS, limit=201)
    for response in (too_long, too_many):
        assert response.status_code == 200
        assert response.json()["errorCode"] == "PARAM_INVALID"


def test_offset_paging_over_day_windows_returns_every_served_case(sim):
    rows = walk(sim, limit=23)
    ids = [row["caseId"] for row in rows]
    assert len(ids) == len(set(ids)) and set(ids) == truth_ids(sim, "city_mgmt")
    keys = [(row["lastModified"], row["caseId"]) for row in rows]
    assert keys == sorted(keys)


def test_rows_carry_gcj02_grid_codes_masked_phones_and_states(sim):
    register = resources.files("simulator").joinpath("data/regions.csv").read_text(encoding="utf-8")
    grid_codes = {row["community_code"] for row in csv.DictReader(register.splitlines())}
    rows = walk(sim)
    assert {row["state"] for row in rows} <= {1, 2, 3, 4, 5, 6, 7, 9}
    assert 9 in {row["state"] for row in rows}
    for row in rows:
        assert row["caseId"].startswith("CG") and len(row["caseId"]) == 16
        assert row["gridCode"] in grid_codes
        if row["source"] == "市民上报":
            assert row["reporterMobile"][3:7] == "****"
        else:
            assert row["reporterMobile"] is None
        assert (row["lng"], row["lat"]) == (0, 0) or (115.8 < row["lng"] < 116.0 and 28.6 < row["lat"] < 28.7)


def test_a_case_modified_while_paging_moves_to_the_end(sim, clock_at):
    tz = sim.clock.tzinfo
    window = {
        "startTime": int(datetime(2025, 6, 1, tzinfo=tz).timestamp() * 1000),
        "endTime": int(datetime(2025, 6, 2, tzinfo=tz).timestamp() * 1000),
        "limit": 200,
    }
    with clock_at(datetime(2025, 6, 1, 12, tzinfo=tz)):
        before = {row["caseId"]: (i, row["lastModified"]) for i, row in enumerate(cases(sim, **window).json()["rows"])}
    with clock_at(datetime(2025, 6, 1, 18, tzinfo=tz)):
        after = {row["caseId"]: (i, row["lastModified"]) for i, row in enumerate(cases(sim, **window).json()["rows"])}
    moved = [case for case in before if case in after and after[case][1] > before[case][1]]
    assert moved
    assert all(after[case][0] >= len(before) - len(moved) - 1 or after[case][0] > before[case][0] for case in moved)
