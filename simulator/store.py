"""The generated world on disk: one SQLite file the feed servers query by window and cursor.

Generation streams records in; nothing about the world is held in memory afterwards.
`records` holds each record once (base version + timed patches, JSON); `versions` holds one
small row per version with its validity interval, so "the record as of T with its current
version inside a window" is one indexed range query.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import orjson

FOREVER_MS = 2**62
SCHEMA = """
create table meta (key text primary key, value text);
create table records (channel text, record_id text, appeal_id text, incident_id text,
                      created_ms integer, served_from_ms integer, sort_key integer, base blob, patches blob);
create table versions (channel text, record_id text, valid_from_ms integer, valid_until_ms integer);
"""
INSERT_RECORD = "insert into records values (?,?,?,?,?,?,?,?,?)"
INSERT_VERSION = "insert into versions values (?,?,?,?)"
# Each serving query walks one of these in its own order and never touches a row it does not
# return (or count): `versions_current` covers "current as of now" (valid_until_ms inside the
# index), `records_wenzheng_order` is wenzheng's newest-first order with its tie-break.
INDEXES = {
    "records_by_id": "create unique index if not exists records_by_id on records (channel, record_id)",
    "records_by_sort": "create index if not exists records_by_sort on records (channel, sort_key)",
    "records_by_served": "create index if not exists records_by_served on records (served_from_ms)",
    "versions_current": "create index if not exists versions_current"
    " on versions (channel, valid_from_ms, record_id, valid_until_ms)",
    "records_wenzheng_order": "create index if not exists records_wenzheng_order"
    " on records (sort_key, cast(record_id as integer), served_from_ms) where channel = 'wenzheng'",
}
INDEX_SCRIPT = "".join(f"{sql};\n" for sql in INDEXES.values())
OBSOLETE_INDEXES = ("versions_by_time",)  # replaced by versions_current (a store made before it)


def render(base: dict, patches: list, as_of_ms: int) -> dict:
    """The record as it stood at `as_of_ms`."""
    current = dict(base)
    for at_ms, changes in patches:
        if at_ms > as_of_ms:
            break
        current.update(changes)
    return current


class StoreWriter:
    """Bulk loader used once, by the generator: rows arrive in plan order, indexes come last."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.path = path
        self.workers = 1  # how many processes built the rows (recorded in meta)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.executescript("pragma journal_mode=off; pragma synchronous=off;" + SCHEMA)

    def add_rows(self, records: list[tuple], versions: list[tuple]) -> None:
        db = self._db
        db.execute("begin")
        db.executemany(INSERT_RECORD, records)
        db.executemany(INSERT_VERSION, versions)
        db.execute("commit")

    @staticmethod
    def write_part(path: Path, records: list[tuple], versions: list[tuple]) -> None:
        """One chunk's rows in a small file of its own (a worker's output)."""
        path.unlink(missing_ok=True)
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.executescript("pragma journal_mode=off; pragma synchronous=off;" + SCHEMA)
            db.execute("begin")
            db.executemany(INSERT_RECORD, records)
            db.executemany(INSERT_VERSION, versions)
            db.execute("commit")
        finally:
            db.close()

    def merge_part(self, path: Path) -> None:
        """Append a part file's rows (in their order), then delete the part."""
        db = self._db
        db.execute("attach database ? as part", (str(path),))
        try:
            db.execute("begin")
            db.execute("insert into main.records select * from part.records order by rowid")
            db.execute("insert into main.versions select * from part.versions order by rowid")
            db.execute("commit")
        finally:
            db.execute("detach database part")
        path.unlink()

    def finish(self, meta: dict[str, str]) -> None:
        db = self._db
        db.execute("begin")
        db.executemany("insert into meta values (?, ?)", [*meta.items(), ("workers", str(self.workers))])
        db.execute("commit")
        # the index build is the one serial step left after a parallel generation: let the
        # sorter use a helper thread (its memory stays within the default page cache)
        db.executescript("pragma threads=2;" + INDEX_SCRIPT)
        db.close()


def ensure_indexes(path: Path) -> None:
    """Bring a store made by an earlier simulator to the current indexes (its rows stay as they are)."""
    db = sqlite3.connect(path, isolation_level=None, timeout=600)
    try:
        present = {name for (name,) in db.execute("select name from sqlite_master where type = 'index'")}
        if set(INDEXES) <= present and not present & set(OBSOLETE_INDEXES):
            return
        db.executescript("pragma threads=2;" + INDEX_SCRIPT)
        for name in OBSOLETE_INDEXES:
            db.execute(f"drop index if exists {name}")
    finally:
        db.close()


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

    def rows(self, sql: str, params: Iterable | Mapping = ()) -> list[tuple]:
        return self._connection().execute(sql, _bound(params)).fetchall()

    def one(self, sql: str, params: Iterable | Mapping = ()) -> tuple:
        return self._connection().execute(sql, _bound(params)).fetchone()

    def iterate(self, sql: str, params: Iterable = ()) -> Iterator[tuple]:
        yield from self._connection().execute(sql, tuple(params))

    @staticmethod
    def decode(base: bytes, patches: bytes, as_of_ms: int) -> dict:
        return render(orjson.loads(base), orjson.loads(patches), as_of_ms)


def _bound(params: Iterable | Mapping) -> tuple | Mapping:
    return params if isinstance(params, Mapping) else tuple(params)


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
