"""The 舆情 server as a vendor conformance suite would check it (feeds/opinion.md)."""

from __future__ import annotations

from datetime import timedelta

import orjson
import requests

from tests.simulator.helpers import truth_ids


def mentions(sim, token: str | None = None, **params) -> requests.Response:
    token = token or sim.env["OPINION_TOKEN"]
    return requests.get(
        f"{sim.env['OPINION_BASE_URL']}/v1/mentions",
        params=params,
        timeout=10,
        headers={"Authorization": f"Token {token}"},
    )


def walk(sim, limit: int = 1000) -> list[dict]:
    posts, since = [], None
    while True:
        response = mentions(sim, **({"since_id": since} if since else {}), limit=limit)
        assert response.status_code == 200
        lines = response.content.splitlines()
        if not lines:
            return posts
        posts += [orjson.loads(line) for line in lines]
        since = posts[-1]["id"]


def test_a_wrong_token_is_401_unauthorized(sim):
    response = mentions(sim, token="wrong")
    assert response.status_code == 401 and response.json() == {"error": "unauthorized"}


def test_since_id_paging_returns_every_served_post_in_rising_64_bit_ids(sim):
    response = mentions(sim, limit=5)
    assert response.headers["Content-Type"].startswith("application/x-ndjson")
    assert all(line.startswith(b'{"id":"') for line in response.content.splitlines())
    posts = walk(sim, limit=17)
    ids = [post["id"] for post in posts]
    assert all(isinstance(i, str) and len(i) == 19 and int(i) > 2**53 for i in ids)
    assert [int(i) for i in ids] == sorted({int(i) for i in ids})
    assert set(ids) == truth_ids(sim, "opinion")
    assert any(float(i) != int(i) for i in ids)  # a double would corrupt them
    reposts = [post for post in posts if post["repost_of"]]
    assert reposts and all(int(post["repost_of"]) < int(post["id"]) for post in reposts)


def test_limit_is_capped_at_1000_and_an_exhausted_cursor_gets_an_empty_body(sim):
    posts = walk(sim)
    response = mentions(sim, since_id=posts[-1]["id"], limit=5000)
    assert response.status_code == 200 and response.content == b""


def test_posts_older_than_30_days_are_no_longer_served(sim, clock_at):
    with clock_at(sim.clock + timedelta(days=31)):
        assert mentions(sim).content.count(b"\n") < len(truth_ids(sim, "opinion"))
    with clock_at(sim.clock + timedelta(days=40)):
        assert mentions(sim, since_id="1").content == b""
