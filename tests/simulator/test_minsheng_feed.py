"""The 民声通道 sync API as a vendor conformance suite would check it (feeds/minsheng.md)."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import requests

from tests.simulator.helpers import truth_ids


def sync(sim, secret: str | None = None, skew: int = 0, **params) -> requests.Response:
    env = sim.env
    query = urlencode(params)
    path = urlsplit(env["MINSHENG_BASE_URL"]).path + "/v1/sync"
    stamp = str(int(time.time()) + skew)
    message = f"GET\n{path}\n{query}\n{stamp}".encode()
    signature = hmac.new((secret or env["MINSHENG_SECRET"]).encode(), message, hashlib.sha256).hexdigest()
    return requests.get(
        f"{env['MINSHENG_BASE_URL']}/v1/sync?{query}",
        timeout=10,
        headers={"X-App-Id": env["MINSHENG_APP_ID"], "X-Timestamp": stamp, "X-Signature": signature},
    )


def full_sync(sim, limit: int = 500, token: str | None = None) -> tuple[list[dict], list[str], str]:
    items, deleted = [], []
    while True:
        body = sync(sim, limit=limit, **({"token": token} if token else {})).json()
        items += body["items"]
        deleted += body["deleted"]
        token = body["next_token"]
        if not body["has_more"]:
            return items, deleted, token


def test_bad_signatures_and_stale_timestamps_are_401(sim):
    assert sync(sim, secret="wrong").status_code == 401
    stale = sync(sim, skew=-301)
    assert stale.status_code == 401 and stale.json() == {"error": "bad_signature"}


def test_the_signature_covers_the_base_url_prefix(sim):
    env = sim.env
    stamp = str(int(time.time()))
    unprefixed = hmac.new(
        env["MINSHENG_SECRET"].encode(), f"GET\n/v1/sync\nlimit=5\n{stamp}".encode(), hashlib.sha256
    ).hexdigest()
    response = requests.get(
        f"{env['MINSHENG_BASE_URL']}/v1/sync?limit=5",
        timeout=10,
        headers={"X-App-Id": env["MINSHENG_APP_ID"], "X-Timestamp": stamp, "X-Signature": unprefixed},
    )
    assert urlsplit(env["MINSHENG_BASE_URL"]).path and response.status_code == 401


def test_limits_over_500_are_400_bad_limit(sim):
    response = sync(sim, limit=501)
    assert response.status_code == 400 and response.json() == {"error": "bad_limit"}


def test_a_full_sync_returns_every_served_appeal_once_as_item_or_deletion(sim):
    items, deleted, _ = full_sync(sim, limit=29)
    ids = [item["id"] for item in items] + deleted
    assert len(ids) == len(set(ids)) and set(ids) == truth_ids(sim, "minsheng")
    assert deleted
    for item in items:
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
        assert item["status"] in {"submitted", "assigned", "processing", "done", "rated"}


def test_incremental_syncs_bring_changes_and_withdrawals_seen_nowhere_else(sim, clock_at):
    moment = sim.clock - timedelta(days=3)
    with clock_at(moment):
        items, deleted, token = full_sync(sim)
    seen = {item["id"] for item in items} | set(deleted)
    changed, unseen_withdrawals = 0, 0
    while moment < sim.clock:
        moment = min(moment + timedelta(hours=20), sim.clock)
        with clock_at(moment):
            items, deleted, token = full_sync(sim, token=token)
        changed += sum(item["id"] in seen for item in items)  # a changed appeal comes again, whole
        unseen_withdrawals += sum(record_id not in seen for record_id in deleted)  # created and withdrawn between
        seen |= {item["id"] for item in items} | set(deleted)
    assert changed and unseen_withdrawals
    assert seen == truth_ids(sim, "minsheng")


def test_a_sync_token_older_than_24_hours_is_410(sim, clock_at):
    with clock_at(sim.clock - timedelta(hours=25)):
        _, _, token = full_sync(sim)
    response = sync(sim, token=token, limit=10)
    assert response.status_code == 410 and response.json() == {"error": "token_expired"}
