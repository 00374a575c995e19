"""The raw landing zone: every fetched record lands verbatim or is quarantined, and counts reconcile.

Layout and meaning of the tables: docs/architecture.md ("Raw layer"). A batch's records, its
quarantined rows and the cursor that follows it are written in one transaction, so a crash
can never leave a cursor ahead of landed data, and landing the same payload twice adds nothing.

`(source_record_id, payload_sha256)` is unique in every `raw.<channel>` table. Landing keeps it
so by inserting only the batch's pairs not yet landed (an anti-join against the pairs already
landed for the batch's ids), not through a primary key: DuckDB's index costs more per row than
the insert itself, grows with the table and is held in memory whole. Tables created with the
key by earlier versions are rebuilt without it by `ensure_raw_tables`.

While loads are open on a connection it runs with `LOAD_SETTINGS`; the last load to finish
checkpoints once, still on one thread (two took 2.1 times the CPU and no less wall time here),
then restores the connection's own settings. DuckDB's automatic checkpoint waits for a
1 GB write-ahead log: at the default 16 MB every second large batch set off a checkpoint that
compressed again the row group still being filled (twice the CPU per row, a file a fifth larger).
Every batch is durable at its commit all the same (the log is synced; DuckDB replays it on
opening after a crash). One DuckDB thread: the connector fetches the next batch on the other
core meanwhile, and two threads on a busy machine cost more CPU per row than they save.
"""

from __future__ import annotations

import contextlib
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import orjson

from connectors.core.batch import Batch

RAW_SCHEMA_DDL = """
create schema if not exists raw;
create table if not exists raw.loads (
    load_id varchar primary key,
    channel varchar not null,
    run_id varchar,
    started_at timestamptz not null,
    finished_at timestamptz,
    window_start date,
    window_end date,
    cursor_before json,
    cursor_after json,
    n_fetched bigint default 0,
    n_landed bigint default 0,
    n_new bigint default 0,
    n_quarantined bigint default 0,
    status varchar default 'running',
    error varchar
);
create table if not exists raw.quarantine (
    channel varchar not null,
    load_id varchar not null,
    source_record_id varchar,
    raw_bytes blob not null,
    reason varchar not null,
    fetched_at timestamptz not null
);
create table if not exists raw.cursors (
    channel varchar primary key,
    cursor json,
    load_id varchar,
    updated_at timestamptz
);
"""

CHANNEL_TABLE_DDL = """
create table if not exists raw.{channel} (
    source_record_id varchar not null,
    record_version varchar,
    payload varchar not null,
    payload_sha256 varchar not null,
    load_id varchar not null,
    fetched_at timestamptz not null
)
"""

# The batch's (id, payload) pairs not landed yet, each once. `landed` reads only the rows whose ids
# are in the batch (a semi-join; DuckDB skips row groups outside the batch's id range), so the cost
# follows the batch, not the table. Same payload twice in one batch: the earliest version is kept.
LAND_RECORDS_SQL = """
insert into {table}
with
    batch as (
        select source_record_id, record_version, payload, sha256(payload) as payload_sha256
        from batch_records
    ),
    landed as (
        select source_record_id, payload_sha256
        from {table}
        where source_record_id in (select source_record_id from batch_records)
    )
select source_record_id, min(record_version), any_value(payload), payload_sha256, ?, ?
from batch
where not exists (
    select 1 from landed
    where landed.source_record_id = batch.source_record_id and landed.payload_sha256 = batch.payload_sha256
)
group by source_record_id, payload_sha256
"""


LOAD_SETTINGS = {"checkpoint_threshold": "1GB", "threads": "1"}

# per connection: its open loads, and its own settings from before the first of them
_loading: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple[set[str], dict[str, str]]] = (
    weakref.WeakKeyDictionary()
)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection, channels: tuple[str, ...] | list[str]) -> None:
    """Create what is missing; rebuild a channel table still carrying the old primary key without it."""
    con.execute(RAW_SCHEMA_DDL)
    keyed = {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_constraints() where schema_name = 'raw' and constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    }
    for channel in map(_identifier, channels):
        if channel in keyed:
            _drop_primary_key(con, channel)
        else:
            con.execute(CHANNEL_TABLE_DDL.format(channel=channel))


def _drop_primary_key(con: duckdb.DuckDBPyConnection, channel: str) -> None:
    """DuckDB cannot drop a constraint: the table is copied into one without it, in one transaction."""
    con.execute("begin transaction")
    try:
        con.execute(f"alter table raw.{channel} rename to {channel}__keyed")
        con.execute(CHANNEL_TABLE_DDL.format(channel=channel))
        con.execute(f"insert into raw.{channel} select * from raw.{channel}__keyed")
        con.execute(f"drop table raw.{channel}__keyed")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def read_cursor(con: duckdb.DuckDBPyConnection, channel: str) -> dict[str, Any] | None:
    row = con.execute("select cursor from raw.cursors where channel = ?", [channel]).fetchone()
    return orjson.loads(row[0]) if row and row[0] is not None else None


@dataclass
class LoadCounts:
    n_fetched: int = 0
    n_landed: int = 0
    n_new: int = 0
    n_quarantined: int = 0
    n_batches: int = 0

    @property
    def reconciles(self) -> bool:
        return self.n_fetched == self.n_landed + self.n_quarantined


@dataclass
class Load:
    """One channel's landing within one run: opened, fed batches, then finished or failed."""

    con: duckdb.DuckDBPyConnection
    channel: str
    run_id: str | None = None
    window: tuple[str, str] | None = None
    load_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    counts: LoadCounts = field(default_factory=LoadCounts)
    cursor_before: dict[str, Any] | None = None
    cursor_after: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self._table = f"raw.{_identifier(self.channel)}"
        self.cursor_before = read_cursor(self.con, self.channel)
        self.cursor_after = self.cursor_before
        start, end = self.window or (None, None)
        self.con.execute(
            "insert into raw.loads (load_id, channel, run_id, started_at, window_start, window_end, "
            "cursor_before) values (?, ?, ?, ?, ?, ?, ?)",
            [self.load_id, self.channel, self.run_id, _now(), start, end, _json(self.cursor_before)],
        )
        self._apply_load_settings()

    def land(self, batch: Batch) -> LoadCounts:
        """Write one batch and its cursor atomically; return this batch's counts."""
        counts = LoadCounts(
            n_fetched=batch.n_fetched,
            n_landed=batch.records.num_rows,
            n_quarantined=batch.quarantined.num_rows,
            n_batches=1,
        )
        self.con.register("batch_records", batch.records)
        self.con.register("batch_quarantined", batch.quarantined)
        self.con.execute("begin transaction")
        try:
            if batch.records.num_rows:
                inserted = self.con.execute(
                    LAND_RECORDS_SQL.format(table=self._table), [self.load_id, batch.fetched_at]
                ).fetchone()
                counts.n_new = int(inserted[0]) if inserted else 0
            if batch.quarantined.num_rows:
                self.con.execute(
                    "insert into raw.quarantine select ?, ?, source_record_id, raw_bytes, reason, ? "
                    "from batch_quarantined",
                    [self.channel, self.load_id, batch.fetched_at],
                )
            if batch.cursor is not None:
                self.con.execute(
                    "insert or replace into raw.cursors values (?, ?, ?, ?)",
                    [self.channel, _json(batch.cursor), self.load_id, _now()],
                )
                self.cursor_after = batch.cursor
            self._add(counts)
            self._record_progress()
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise
        finally:
            self.con.unregister("batch_records")
            self.con.unregister("batch_quarantined")
        return counts

    def finish(self, status: str = "succeeded", error: str | None = None) -> LoadCounts:
        self.con.execute(
            "update raw.loads set finished_at = ?, status = ?, error = ?, cursor_after = ? where load_id = ?",
            [_now(), status, error, _json(self.cursor_after), self.load_id],
        )
        self._restore_settings()
        return self.counts

    def _apply_load_settings(self) -> None:
        if self.con not in _loading:
            own = {name: self._setting(name) for name in LOAD_SETTINGS}
            for name, value in LOAD_SETTINGS.items():
                self.con.execute(f"set {name} = '{value}'")
            _loading[self.con] = (set(), own)
        _loading[self.con][0].add(self.load_id)

    def _restore_settings(self) -> None:
        """The last open load on the connection restores its settings and checkpoints what was deferred."""
        open_loads, own = _loading.get(self.con, (set(), {}))
        if self.load_id not in open_loads:
            return
        open_loads.discard(self.load_id)
        if not open_loads:
            del _loading[self.con]
            try:  # still on one thread: two checkpoint with twice the CPU, and hardly sooner on a busy machine
                with contextlib.suppress(duckdb.TransactionException):  # another writer: its commit checkpoints
                    self.con.execute("checkpoint")
            finally:
                for name, value in own.items():
                    self.con.execute(f"set {name} = '{value}'")

    def _setting(self, name: str) -> str:
        return str(self.con.execute(f"select current_setting('{name}')").fetchone()[0])

    def _add(self, counts: LoadCounts) -> None:
        for name in ("n_fetched", "n_landed", "n_new", "n_quarantined", "n_batches"):
            setattr(self.counts, name, getattr(self.counts, name) + getattr(counts, name))

    def _record_progress(self) -> None:
        c = self.counts
        self.con.execute(
            "update raw.loads set n_fetched = ?, n_landed = ?, n_new = ?, n_quarantined = ?, "
            "cursor_after = ? where load_id = ?",
            [c.n_fetched, c.n_landed, c.n_new, c.n_quarantined, _json(self.cursor_after), self.load_id],
        )


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum() or not name.isascii():
        raise ValueError(f"not a valid channel key: {name!r}")
    return name


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _now() -> datetime:
    return datetime.now(UTC)
