"""The hotline server as a vendor conformance suite would check it (feeds/hotline.md)."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

import requests

from tests.simulator.helpers import truth_ids

WINDOW = {"updated_from": "2025-05-31T00:00:00", "updated_to": "2025-06-07T00:00:00"}


def token(sim) -> str:
    env = sim.env
    response = requests.post(
        f"{env['HOTLINE_BASE_URL']}/oauth/token",
        timeout=10,
        data={
            "grant_type": "client_credentials",
            "client_id": env["HOTLINE_CLIENT_ID"],
            "client_secret": env["HOTLINE_CLIENT_SECRET"],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    return body["access_token"]


def list_orders(sim, access: str, **params) -> dict:
    response = requests.get(
        f"{sim.env['HOTLINE_BASE_URL']}/api/v2/workorders",
        params=params,
        timeout=10,
        headers={"Authorization": f"Bearer {access}"},
    )
    assert response.status_code == 200
    return response.json()


def walk(sim, access: str, **params) -> list[dict]:
    items, page_token = [], None
    while True:
        body = list_orders(sim, access, **params, **({"page_token": page_token} if page_token else {}))
        assert body["code"] == 0, body
        items += body["data"]["items"]
        page_token = body["data"]["next_page_token"]
        if page_token is None:
            return items


def test_wrong_credentials_get_401_invalid_client(sim):
    response = requests.post(
        f"{sim.env['HOTLINE_BASE_URL']}/oauth/token",
        timeout=10,
        data={"grant_type": "client_credentials", "client_id": "zhihui-sim", "client_secret": "wrong"},
    )
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_a_request_without_a_valid_bearer_token_gets_business_code_40101(sim):
    body = list_orders(sim, "not-a-token", **WINDOW)
    assert body["code"] == 40101 and body["data"] is None


def test_windows_over_seven_days_and_pages_over_500_are_bad_parameters(sim):
    access = token(sim)
    assert (
        list_orders(sim, access, updated_from="2025-06-01T00:00:00", updated_to="2025-06-08T00:00:01")["code"] == 40001
    )
    assert list_orders(sim, access, **WINDOW, page_size=501)["code"] == 40001
    assert list_orders(sim, access, updated_from="2025-06-01 00:00:00", updated_to="x")["code"] == 40001


def test_paging_a_window_returns_every_served_order_once_in_updated_order(sim):
    items = walk(sim, token(sim), **WINDOW, page_size=37)
    numbers = [item["order_no"] for item in items]
    assert len(numbers) == len(set(numbers))
    assert set(numbers) == truth_ids(sim, "hotline")
    keys = [(item["updated_at"], item["order_no"]) for item in items]
    assert keys == sorted(keys)


def test_items_follow_the_contract_fields_and_vocabulary(sim):
    items = walk(sim, token(sim), **WINDOW, page_size=500)
    statuses = {"已受理", "已派单", "办理中", "已办结", "已回访", "已退单"}
    for item in items:
        assert item["order_no"].startswith("RX") and len(item["order_no"]) == 16
        assert isinstance(item["version"], int) and item["version"] >= 1
        assert item["status"] in statuses
        assert item["appeal_type"] in {"咨询", "求助", "投诉", "举报", "建议", "表扬"}
        assert item["category"] == "" or item["category"].count("/") == 2
        datetime.strptime(item["updated_at"], "%Y-%m-%d %H:%M:%S")
        assert 20 <= len(item["content"]) <= 600
    merged = [item for item in items if item["merged_into"]]
    assert merged and all(item["status"] == "已办结" for item in merged)


def test_the_clock_decides_which_versions_are_served(sim, clock_at):
    early = sim.clock - timedelta(days=2)
    with clock_at(early):
        items = walk(sim, token(sim), **WINDOW, page_size=500)
        assert all(item["updated_at"] <= early.strftime("%Y-%m-%d %H:%M:%S") for item in items)
        assert set(i["order_no"] for i in items) == truth_ids(sim, "hotline")
    later = walk(sim, token(sim), **WINDOW, page_size=500)
    assert len(later) > len(items)


def test_page_tokens_are_base64_bound_to_their_window_and_expire(sim):
    access = token(sim)
    first = list_orders(sim, access, **WINDOW, page_size=10)["data"]
    page_token = first["next_page_token"]
    base64.b64decode(page_token, validate=True)
    other = {"updated_from": "2025-06-01T00:00:00", "updated_to": "2025-06-02T00:00:00"}
    assert list_orders(sim, access, **other, page_size=10, page_token=page_token)["code"] == 40002
    assert list_orders(sim, access, **WINDOW, page_size=10, page_token="bm9wZQ==")["code"] == 40002
    app = sim.feed_app("hotline")
    app.page_token_ttl_s = 0
    try:
        assert list_orders(sim, access, **WINDOW, page_size=10, page_token=page_token)["code"] == 40002
    finally:
        app.page_token_ttl_s = 600
