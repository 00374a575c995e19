"""The client-side token bucket spaces requests to the rate a feed publishes."""

from __future__ import annotations

import itertools

from connectors.core.rate_limit import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_requests_beyond_the_rate_wait_so_no_second_holds_more_than_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(5, burst=1, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(11):
        bucket.acquire()
        stamps.append(clock.now)
    assert stamps[-1] == 2.0
    assert all(b - a >= 0.2 - 1e-9 for a, b in itertools.pairwise(stamps))


def test_an_idle_bucket_lets_a_burst_through_without_waiting():
    clock = FakeClock()
    bucket = TokenBucket(5, burst=3, clock=clock, sleep=clock.sleep)
    clock.now = 10.0
    assert [bucket.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.acquire() > 0
