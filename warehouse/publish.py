"""Publishing: the BI copy of schema `mart`, replaced atomically (MART.md, "Where it is").

The mart is copied into a new DuckDB file beside the published one and renamed over it, so a
reader holding the old file open keeps reading the old mart and never meets a lock; each table
is also written as Parquet, each file renamed into place the same way and stamped (footer
key-value metadata `zhihui_publication_id`) with the publication it belongs to, since a set of
files cannot be swapped in one step: a Parquet reader compares the stamps to know it read one
mart (docs/bi.md). Then the leaders' report (warehouse/report/) is rebuilt from the new file and
renamed into place too.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.report import build_report
from warehouse.settings import Locations

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Publication:
    path: Path
    tables: dict[str, int]  # table name → row count
    report: Path | None = None  # None when the report could not be built (logged)


def publish_mart(locations: Locations, run_id: str | None = None, window: tuple[str, str] | None = None) -> Publication:
    """Copy schema `mart` into the BI file, with `mart.publication` saying which run and window made it."""
    locations.ensure()
    publication_id = uuid.uuid4().hex
    token = publication_id[:12]
    staging_file = locations.published_dir / f".zhihui-{token}.duckdb.tmp"
    tables: dict[str, int] = {}
    try:
        with duckdb.connect(str(staging_file)) as con:
            con.execute(f"attach '{_sql_path(locations.warehouse_path)}' as working (read_only)")
            names = [
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_catalog = 'working' and table_schema = 'mart' order by table_name"
                ).fetchall()
            ]
            if not names:
                raise RuntimeError("the working warehouse has no mart tables: nothing to publish")
            con.execute("create schema mart")
            for name in names:
                con.execute(f'create table mart."{name}" as select * from working.mart."{name}"')
                tables[name] = con.execute(f'select count(*) from mart."{name}"').fetchone()[0]
            _write_publication(con, publication_id, run_id, window, tables)
            names.append("publication")
            parquet_files = _write_parquet(con, names, locations.parquet_dir, publication_id)
            con.execute("detach working")
            con.execute("checkpoint")
        staging_file.chmod(0o444)  # a BI tool opening it read-write by mistake fails at once (root excepted)
        _remove_stale_wal(locations.published_path)
        os.replace(staging_file, locations.published_path)
        for temporary, final in parquet_files:
            os.replace(temporary, final)
        _remove_stale_parquet(locations.parquet_dir, set(names))
        _sync_folder(locations.published_dir)
        _sync_folder(locations.parquet_dir)
    finally:
        staging_file.unlink(missing_ok=True)
        staging_file.with_name(staging_file.name + ".wal").unlink(missing_ok=True)
        for leftover in locations.parquet_dir.glob(f"*.{token}.tmp"):
            leftover.unlink(missing_ok=True)
    return Publication(path=locations.published_path, tables=tables, report=_build_report(locations))


def _remove_stale_wal(published: Path) -> None:
    """A WAL beside the BI copy was left by someone who opened it read-write; DuckDB would replay it
    onto the new file and fail every reader after it ("Failure while replaying WAL file")."""
    wal = published.with_name(published.name + ".wal")
    if wal.exists():
        log.warning("removing %s: the published copy was opened read-write; BI tools must open it read-only", wal)
        wal.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    # the renames themselves reach the disk: after a power cut the BI copy is the old or the new one
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _build_report(locations: Locations) -> Path | None:
    # the mart, the contract, is already published: a failing report is logged, never a failed publish
    try:
        return build_report(locations)
    except Exception:
        log.exception("could not build the report from %s", locations.published_path)
        return None


def _write_publication(
    con: duckdb.DuckDBPyConnection,
    publication_id: str,
    run_id: str | None,
    window: tuple[str, str] | None,
    tables: dict[str, int],
) -> None:
    start, end = window or (None, None)
    con.execute(
        "create table mart.publication as select ?::varchar as run_id, ?::date as window_start, "
        "?::date as window_end, now() as published_at, ?::json as table_rows, ?::varchar as publication_id",
        [run_id, start, end, json.dumps(tables), publication_id],
    )


def _write_parquet(
    con: duckdb.DuckDBPyConnection, names: list[str], folder: Path, publication_id: str
) -> list[tuple[Path, Path]]:
    token = publication_id[:12]
    folder.mkdir(parents=True, exist_ok=True)
    moves = []
    for name in names:
        temporary = folder / f"{name}.parquet.{token}.tmp"
        con.execute(
            f"copy mart.\"{name}\" to '{_sql_path(temporary)}' "
            f"(format parquet, compression zstd, kv_metadata {{zhihui_publication_id: '{publication_id}'}})"
        )
        moves.append((temporary, folder / f"{name}.parquet"))
    return moves


def _remove_stale_parquet(folder: Path, current: set[str]) -> None:
    for path in folder.glob("*.parquet"):
        if path.stem not in current:
            path.unlink()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
