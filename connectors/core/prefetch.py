"""Fetch the next batch while the caller lands the previous one.

Fetching (network, JSON, Arrow) and landing (DuckDB, which releases the GIL) each take about as
long per record; overlapping them nearly halves a load. Batches still arrive in order, each
with its own cursor, so the cursor stored never runs ahead of the rows landed with it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


def prefetched(source: Iterator[T], depth: int = 1) -> Iterator[T]:
    """Yield `source`'s items, computing up to `depth` ahead in a background thread.

    An exception in `source` is raised here, in the caller's thread; if the caller stops early,
    the background thread stops at its next item and `source` is closed there.
    """
    items: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in source:
                while not stop.is_set():
                    try:
                        items.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    break
        except BaseException as exc:  # handed to the caller, who decides
            items.put((_DONE, exc))
            return
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()
        items.put((_DONE, None))

    worker = threading.Thread(target=produce, name="connector-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item, error = items.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                items.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.1)
