"""A BI user in a loop: opens the published file read-only for every query, checks it sees one whole mart.

Run as a separate process: `python tests/bi/published_reader.py <zhihui.duckdb> <stop file>`; stops
when the stop file appears and prints one JSON line: queries run, run ids seen, errors met.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

WHOLE_MART_SQL = """
select
    (select run_id from mart.publication) as run_id,
    (select table_rows from mart.publication)::varchar as table_rows,
    (select coalesce(sum(n_records), 0) from mart.fct_complaint) as n_records,
    (select count(*) from mart.bridge_complaint_source) as n_bridge
"""


def check_once(path: str) -> tuple[str, list[str]]:
    """One query session, as a BI tool opens it; returns the run id seen and any inconsistency."""
    problems = []
    with duckdb.connect(path, read_only=True) as con:
        run_id, table_rows, n_records, n_bridge = con.execute(WHOLE_MART_SQL).fetchone()
        if n_records != n_bridge:
            problems.append(f"{run_id}: sum(n_records) {n_records} != bridge rows {n_bridge}")
        for table, expected in json.loads(table_rows).items():
            actual = con.execute(f'select count(*) from mart."{table}"').fetchone()[0]
            if actual != expected:
                problems.append(f"{run_id}: {table} has {actual} rows, publication says {expected}")
    return run_id, problems


def main(path: str, stop_file: str) -> None:
    queries, run_ids, errors = 0, [], []
    while not Path(stop_file).exists():
        try:
            run_id, problems = check_once(path)
        except duckdb.Error as error:  # a lock, a half-written file, a missing table: all failures
            errors.append(f"{type(error).__name__}: {error}")
            time.sleep(0.01)
            continue
        queries += 1
        errors.extend(problems)
        if not run_ids or run_ids[-1] != run_id:
            run_ids.append(run_id)
    print(json.dumps({"queries": queries, "run_ids": run_ids, "errors": errors[:20], "n_errors": len(errors)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
