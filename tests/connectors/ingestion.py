"""Land channels into a DuckDB file the way orchestration does (connector → Load.land), for the tests.

Also a script: `python -m tests.connectors.ingestion DB ENV_JSON START END BATCH_ROWS [PAGE_SIZE]` lands
every channel in registry order and prints one line per landed batch, so a test can kill it mid-way.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import duckdb
import orjson

from connectors.core.batch import coalesce
from connectors.core.http import RetryPolicy
from connectors.core.window import DateWindow
from connectors.registry import CHANNEL_KEYS, CONNECTORS
from warehouse.landing import Load, LoadCounts, ensure_raw_tables

FAST = RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.05, connect_timeout=1.0, read_timeout=0.25)


def ingest(
    con: duckdb.DuckDBPyConnection,
    channel: str,
    env: dict[str, str],
    window: DateWindow,
    policy: RetryPolicy = FAST,
    batch_rows: int = 25_000,
    on_batch=None,
    prefetch: bool = True,
) -> Load:
    """One load of one channel; returns the finished Load (counts, cursors).

    `prefetch=False` fetches each batch only after the previous one landed and `on_batch` ran,
    for tests that change the feed between pages.
    """
    ensure_raw_tables(con, CHANNEL_KEYS)
    connector_cls = CONNECTORS[channel]
    connector = connector_cls.from_env(env, policy)
    load = Load(con, channel, window=(window.start.isoformat(), window.end.isoformat()))
    pulled = window if connector_cls.windowed else None
    if prefetch:
        batches = connector.fetch(window=pulled, cursor=load.cursor_before, batch_rows=batch_rows)
    else:
        batches = coalesce(connector.fetch_pages(window=pulled, cursor=load.cursor_before), batch_rows)
    for batch in batches:
        load.land(batch)
        if on_batch is not None:
            on_batch(load, batch)
    load.finish()
    return load


def landed_set(con: duckdb.DuckDBPyConnection, channel: str) -> set[tuple[str, str]]:
    return set(con.execute(f"select source_record_id, payload_sha256 from raw.{channel}").fetchall())


def landed_ids(con: duckdb.DuckDBPyConnection, channel: str) -> set[str]:
    return {row[0] for row in con.execute(f"select distinct source_record_id from raw.{channel}").fetchall()}


def quarantined_ids(con: duckdb.DuckDBPyConnection, channel: str) -> set[str | None]:
    rows = con.execute("select source_record_id from raw.quarantine where channel = ?", [channel]).fetchall()
    return {row[0] for row in rows}


def totals(con: duckdb.DuckDBPyConnection, channel: str) -> LoadCounts:
    row = con.execute(
        "select sum(n_fetched), sum(n_landed), sum(n_new), sum(n_quarantined) from raw.loads where channel = ?",
        [channel],
    ).fetchone()
    return LoadCounts(*(int(value or 0) for value in row))


def main(db_path: str, env_json: str, start: str, end: str, batch_rows: str, page_size: str = "") -> None:
    env = orjson.loads(Path(env_json).read_bytes())
    if page_size:  # many small pages, so that a kill lands mid-listing
        for channel in CHANNEL_KEYS:
            module = sys.modules[CONNECTORS[channel].__module__]
            if hasattr(module, "PAGE_SIZE"):
                module.PAGE_SIZE = int(page_size)
    window = DateWindow(date.fromisoformat(start), date.fromisoformat(end))
    con = duckdb.connect(db_path)

    def report(load: Load, batch) -> None:
        print(f"landed {load.channel} {load.counts.n_landed}", flush=True)

    for channel in CHANNEL_KEYS:
        ingest(con, channel, env, window, batch_rows=int(batch_rows), on_batch=report)
    con.close()
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
