"""Build speed and memory of the dbt project: a full build over N days, then one more day.

    python -m bench.build_speed --days 30 --appeals-per-day 3000
    python -m bench.build_speed --days 30 --appeals-per-day 100000   # the target scale

Steps: generate a world of N + 1 days (`Simulation`), set its clock to the end of day N, land
every channel through the real connectors (`warehouse.landing`), time `dbt build` (full, with
every data test) and its peak memory; then move the clock one day on, land again (windowed feeds
for the new day, cursor feeds from their cursor) and time `dbt build` once more. The models are
tables (only the id assignment log is incremental), so the second figure is what a daily run
pays. Peak memory is the largest resident set of the dbt process (getrusage of children).
Results go to stdout and `<workdir>/build_speed.json`. Targets (docs/matching.md): full build
of 30 days at 100k appeals/day under 5 min and 8 GB; one more day under 1 min.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
START = date(2025, 6, 1)
LOCAL = timezone(timedelta(hours=8))  # the feeds mean Asia/Shanghai


def land(sim, warehouse: Path, window_start: date, window_end: date) -> dict[str, int]:
    from connectors.core.window import DateWindow
    from connectors.registry import CHANNEL_KEYS, CONNECTORS
    from warehouse.landing import Load, ensure_raw_tables

    os.environ.update(sim.env)
    window = DateWindow(window_start, window_end)
    con = duckdb.connect(str(warehouse))
    landed = {}
    try:
        ensure_raw_tables(con, list(CHANNEL_KEYS))
        for key in CHANNEL_KEYS:
            connector_cls = CONNECTORS[key]
            load = Load(con, key, window=(window.start.isoformat(), window.end.isoformat()))
            pulled = window if connector_cls.windowed else None
            for batch in connector_cls.from_env().fetch(window=pulled, cursor=load.cursor_before):
                load.land(batch)
            landed[key] = load.finish().n_new
    finally:
        con.close()
    return landed


def timed_dbt_build(warehouse: Path, threads: int) -> dict:
    env = dict(os.environ, ZHIHUI_WAREHOUSE_PATH=str(warehouse))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--threads",
        str(threads),
        "--quiet",
    ]
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak_kb / 1024), "ok": result.returncode == 0}


def record_counts(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            "records": con.execute("select count(*) from mart.bridge_complaint_source").fetchone()[0],
            "complaints": con.execute("select count(*) from mart.fct_complaint").fetchone()[0],
            "incidents": con.execute("select count(*) from mart.fct_incident").fetchone()[0],
        }
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    from simulator import Simulation

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--appeals-per-day", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20250601)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a new temporary folder")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="zhihui-speed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = workdir / "warehouse.duckdb"
    result: dict = {"world": vars(args) | {"workdir": str(workdir)}}

    started = time.monotonic()
    sim = Simulation(
        workdir / "simulator", start=START, days=args.days + 1, appeals_per_day=args.appeals_per_day, seed=args.seed
    )
    sim.start()
    try:
        result["generate_seconds"] = round(time.monotonic() - started, 1)
        last_day = START + timedelta(days=args.days - 1)
        sim.set_clock(datetime.combine(last_day + timedelta(days=1), datetime.min.time(), LOCAL) + timedelta(hours=3))
        started = time.monotonic()
        result["landed_full"] = land(sim, warehouse, START, last_day)
        result["land_full_seconds"] = round(time.monotonic() - started, 1)
        result["full_build"] = timed_dbt_build(warehouse, args.threads)
        result["counts_full"] = record_counts(warehouse)
        print(json.dumps(result, ensure_ascii=False), flush=True)

        next_day = last_day + timedelta(days=1)
        sim.set_clock(datetime.combine(next_day + timedelta(days=1), datetime.min.time(), LOCAL) + timedelta(hours=3))
        result["landed_next_day"] = land(sim, warehouse, next_day, next_day)
        result["next_day_build"] = timed_dbt_build(warehouse, args.threads)
        result["counts_next_day"] = record_counts(warehouse)
    finally:
        sim.stop()
    (workdir / "build_speed.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
