"""Fetching ahead in a background thread keeps order, passes errors on and stops when the caller stops."""

from __future__ import annotations

import threading

import pytest

from connectors.core.prefetch import prefetched


def test_items_arrive_in_order():
    assert list(prefetched(iter(range(100)), depth=3)) == list(range(100))


def test_an_error_while_fetching_is_raised_in_the_caller_after_the_items_before_it():
    def source():
        yield 1
        yield 2
        raise RuntimeError("feed broke")

    seen = []
    with pytest.raises(RuntimeError, match="feed broke"):
        for item in prefetched(source()):
            seen.append(item)
    assert seen == [1, 2]


def test_a_caller_that_stops_early_stops_the_fetching_and_closes_the_source():
    closed = threading.Event()

    def source():
        try:
            yield from range(1_000_000)
        finally:
            closed.set()

    items = prefetched(source())
    assert next(items) == 0
    items.close()
    assert closed.wait(timeout=5)
