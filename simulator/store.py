"""The generated world on disk: one SQLite file the feed servers query by window and cursor.

Generation streams records in; nothing about the world is held in memory afterwards.
`records` holds each record once (base version + timed patches, JSON); `versions` holds one
small row per version with its validity interval, so "the record as of T with its current
version inside a window" is one indexed range query.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from simulator.world.model import SourceRecord

FOREVER_MS = 2**62
SCHEMA = """
create table meta (key text primary key, value text);
create table records (channel text, record_id text, appeal_id text, incident_id text,
                      created_ms integer, served_from_ms integer, sort_key integer, base blob, patches blob);
create table versions (channel text, record_id text, valid_from_ms integer, valid_until_ms integer);
"""
INDEXES = """
create unique index records_by_id on records (channel, record_id);
create index records_by_sort on records (channel, sort_key);
create index records_by_served on records (served_from_ms);
create index versions_by_time on versions (channel, valid_from_ms, record_id);
"""


def render(base: dict, patches: list, as_of_ms: int) -> dict:
    """The record as it stood at `as_of_ms`."""
    current = dict(base)
    for at_ms, changes in patches:
        if at_ms > as_of_ms:
            break
        current.update(changes)
    return current


class StoreWriter:
    """Bulk loader used once, by the generator."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self._db = sqlite3.connect(path)
        self._db.executescript("pragma journal_mode=off; pragma synchronous=off;" + SCHEMA)
        self._records: list[tuple] = []
        self._versions: list[tuple] = []

    def add(self, record: SourceRecord) -> None:
        times = record.version_times()
        self._records.append(
            (
                record.channel,
                record.record_id,
                record.appeal_id,
                record.incident_id,
                record.created_ms,
                record.served_from_ms,
                record.sort_key,
                orjson.dumps(record.base),
                orjson.dumps(record.patches),
            )
        )
        for start, end in zip(times, [*times[1:], FOREVER_MS], strict=True):
            self._versions.append((record.channel, record.record_id, start, end))
        if len(self._records) >= 20_000:
            self.flush()

    def flush(self) -> None:
        self._db.executemany("insert into records values (?,?,?,?,?,?,?,?,?)", self._records)
        self._db.executemany("insert into versions values (?,?,?,?)", self._versions)
        self._records.clear()
        self._versions.clear()

    def finish(self, meta: dict[str, str]) -> None:
        self.flush()
        self._db.executemany("insert into meta values (?, ?)", list(meta.items()))
        self._db.executescript(INDEXES)
        self._db.commit()
        self._db.close()


class StoreReader:
    """Read-only access for the servers: one connection per thread."""

    def __init__(self, path: Path) -> None:
        self._uri = f"file:{path}?mode=ro"
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def rows(self, sql: str, params: Iterable = ()) -> list[tuple]:
        return self._connection().execute(sql, tuple(params)).fetchall()

    def one(self, sql: str, params: Iterable = ()) -> tuple:
        return self._connection().execute(sql, tuple(params)).fetchone()

    def iterate(self, sql: str, params: Iterable = ()) -> Iterator[tuple]:
        yield from self._connection().execute(sql, tuple(params))

    @staticmethod
    def decode(base: bytes, patches: bytes, as_of_ms: int) -> dict:
        return render(orjson.loads(base), orjson.loads(patches), as_of_ms)


def read_meta(path: Path) -> dict[str, str]:
    """The generation parameters of an existing store, or {} when absent or unreadable."""
    if not path.exists():
        return {}
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(db.execute("select key, value from meta").fetchall())
        finally:
            db.close()
    except sqlite3.Error:
        return {}
