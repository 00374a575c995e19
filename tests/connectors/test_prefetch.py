"""Fetching in a background thread: order kept, what is ready handed over, what is held bounded, errors passed on."""

from __future__ import annotations

import threading
import time

import pytest

from connectors.core.prefetch import prefetched


def test_items_arrive_in_order_in_lists_of_what_was_ready():
    lists = list(prefetched(iter(range(100)), limit=10))
    assert [item for taken in lists for item in taken] == list(range(100))
    assert all(1 <= len(taken) <= 10 for taken in lists)


def test_a_caller_slower_than_the_fetching_takes_everything_fetched_meanwhile():
    sizes = []
    for taken in prefetched(iter(range(40)), limit=10):
        sizes.append(len(taken))
        time.sleep(0.05)
    assert sizes[0] >= 1 and max(sizes) == 10 and sum(sizes) == 40


def test_a_list_waits_for_at_least_its_minimum_unless_the_source_ends():
    def slow():
        for i in range(7):
            time.sleep(0.01)
            yield i

    lists = list(prefetched(slow(), limit=100, at_least=3))
    assert [item for taken in lists for item in taken] == list(range(7))
    assert all(len(taken) >= 3 for taken in lists[:-1])


def test_the_fetching_holds_at_most_the_limit_not_taken_yet():
    fetched = []

    def source():
        for i in range(1000):
            fetched.append(i)
            yield i

    items = prefetched(source(), limit=5)
    first = next(items)
    time.sleep(0.2)
    assert len(fetched) <= len(first) + 5 + 1  # what was taken, what is held, the one waiting to be put
    items.close()


def test_an_error_while_fetching_is_raised_in_the_caller_after_the_items_before_it():
    def source():
        yield 1
        yield 2
        raise RuntimeError("feed broke")

    seen = []
    with pytest.raises(RuntimeError, match="feed broke"):
        for taken in prefetched(source(), limit=1):
            seen.extend(taken)
    assert seen == [1, 2]


def test_a_caller_that_stops_early_stops_the_fetching_and_closes_the_source():
    closed = threading.Event()

    def source():
        try:
            yield from range(1_000_000)
        finally:
            closed.set()

    items = prefetched(source(), limit=10)
    assert next(items)[0] == 0
    items.close()
    assert closed.wait(timeout=5)
