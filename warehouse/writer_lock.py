"""One writer at a time: DuckDB allows a single writing process per file.

Every step that writes the working warehouse (landing, the dbt build, publishing) holds this
lock, an flock on a file beside the warehouse, so two runs launched at once take turns
instead of failing on DuckDB's own lock. The lock dies with its process: a killed run never
leaves it stuck.
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def writer_lock(home: Path, wait_seconds: float = 3600.0, poll_seconds: float = 0.5) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".writer.lock", "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        announced = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"another run has held the warehouse writer lock for {wait_seconds:.0f}s"
                    ) from None
                if not announced:
                    log.info("waiting for another run to finish writing the warehouse")
                    announced = True
                time.sleep(poll_seconds)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
