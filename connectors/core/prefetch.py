"""Fetch pages in a background thread; the caller takes everything fetched since it last asked.

Fetching (network, JSON, Arrow) runs in the background while the caller lands. Each time the
caller asks, it gets every item fetched since its last call (at least one), in order: landing
starts as soon as the first page is there rather than after a full batch, and while landing is
the slower side the batches grow by themselves (fewer, larger transactions), so neither side
waits on the other for long. The cursor of a merged batch is that of its last page, so the
cursor stored never runs ahead of the rows landed with it.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


def _one(_: object) -> int:
    return 1


class _Shared:
    """What the fetching thread and the caller share, under one condition."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.ready: deque[tuple[object, int]] = deque()
        self.held = 0  # size of the items fetched and not taken yet
        self.done = False
        self.stop = False
        self.error: BaseException | None = None


def prefetched(
    source: Iterator[T], limit: int, size: Callable[[T], int] = _one, at_least: int = 0
) -> Iterator[list[T]]:
    """Yield lists of `source`'s items, in order: each list is every item fetched since the last one.

    A list holds at least one item, and items of `size` `at_least` in all unless `source` ended
    first (a few rows per transaction would cost more than they save in waiting); it stops once
    its items' `size` reaches `limit`. The thread
    fetches ahead until `limit` is held and not taken, then waits. An exception in `source` is
    raised here, in the caller's thread, after the items before it; if the caller stops early,
    the thread stops at its next item and `source` is closed there.
    """
    shared = _Shared()
    worker = threading.Thread(target=_produce, args=(source, limit, size, shared), name="connector-fetch", daemon=True)
    worker.start()
    try:
        while True:
            with shared.condition:
                while not shared.done and (not shared.ready or shared.held < at_least):
                    shared.condition.wait()
                if not shared.ready:
                    if shared.error is not None:
                        raise shared.error
                    return
                taken: list[T] = []
                n_taken = 0
                while shared.ready and n_taken < limit:
                    item, n = shared.ready.popleft()
                    taken.append(item)  # type: ignore[arg-type]
                    n_taken += n
                shared.held -= n_taken
                shared.condition.notify_all()
            yield taken
    finally:
        with shared.condition:
            shared.stop = True
            shared.condition.notify_all()
        worker.join()


def _produce(source: Iterator[T], limit: int, size: Callable[[T], int], shared: _Shared) -> None:
    try:
        for item in source:
            n = size(item)
            with shared.condition:
                while shared.held >= limit and not shared.stop:
                    shared.condition.wait()
                if shared.stop:
                    break
                shared.ready.append((item, n))
                shared.held += n
                shared.condition.notify_all()
    except BaseException as exc:  # handed to the caller, who decides
        shared.error = exc
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()
        with shared.condition:
            shared.done = True
            shared.condition.notify_all()
