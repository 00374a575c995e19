"""The shared HTTP mechanics against a real local server: retries, Retry-After, cut bodies, giving up."""

from __future__ import annotations

import pytest

from connectors.core.errors import ConfigurationError, FeedError
from connectors.core.http import FeedSession, RetryableAnswer, RetryPolicy
from tests.support.scripted_server import Answer

FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, read_timeout=2.0)


def session(sleeps: list[float]) -> FeedSession:
    return FeedSession("test", "TEST_BASE_URL", FAST, sleep=sleeps.append)


def test_server_errors_and_rate_limits_are_retried_and_retry_after_is_honoured(scripted_server):
    script = iter([Answer(503), Answer(429, headers={"Retry-After": "7"}), Answer(500), Answer(200, b"ok")])
    server = scripted_server(lambda seen: next(script))
    sleeps: list[float] = []
    response = session(sleeps).get(f"{server.url}/x")
    assert response.text == "ok"
    assert len(server.requests) == 4
    assert sleeps[1] == 7.0  # the 429's Retry-After, not the backoff
    assert all(0 <= s <= 0.05 for i, s in enumerate(sleeps) if i != 1)


def test_a_body_cut_short_is_fetched_again(scripted_server):
    script = iter([Answer(200, b'{"items": [1, 2, 3]}', cut_after=5), Answer(200, b'{"items": [1, 2, 3]}')])
    server = scripted_server(lambda seen: next(script))
    response = session([]).get(f"{server.url}/x")
    assert response.json() == {"items": [1, 2, 3]}
    assert len(server.requests) == 2


def test_a_business_level_retry_runs_its_hook_before_the_next_attempt(scripted_server):
    tokens = iter(["old", "new"])
    current = {"token": next(tokens)}
    server = scripted_server(
        lambda seen: Answer(200, {"code": 0 if seen.headers.get("Authorization") == "new" else 40101})
    )

    def check(response):
        if response.json()["code"] == 40101:
            raise RetryableAnswer("expired", retry_after=0, before_retry=lambda: current.update(token=next(tokens)))

    response = session([]).get(f"{server.url}/x", headers=lambda: {"Authorization": current["token"]}, check=check)
    assert response.json()["code"] == 0
    assert [seen.headers["Authorization"] for seen in server.requests] == ["old", "new"]


def test_it_gives_up_after_max_attempts_with_the_last_problem_named(scripted_server):
    server = scripted_server(lambda seen: Answer(502))
    with pytest.raises(FeedError, match=r"gave up after 4 attempts.*HTTP 502"):
        session([]).get(f"{server.url}/x")
    assert len(server.requests) == 4


def test_an_unreachable_endpoint_is_a_configuration_error_naming_the_variable():
    with pytest.raises(ConfigurationError, match=r"\[test\] cannot connect.*check TEST_BASE_URL"):
        session([]).get("http://127.0.0.1:9/x")
