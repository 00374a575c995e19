"""Build speed and memory of the dbt project: a full build over N days, then one more day.

    python -m bench.build_speed --days 30 --appeals-per-day 3000
    python -m bench.build_speed --days 30 --appeals-per-day 100000   # the target scale

    python -m bench.build_speed --workdir /tmp/w --reuse            # re-time the builds only

Steps: generate a world of N + 1 days (`Simulation`), set its clock to the end of day N, land
every channel through the real connectors (`warehouse.landing`) into `<workdir>/landed_full.duckdb`;
copy it to `landed_next.duckdb`, move the clock one day on and land again there (windowed feeds for
the new day, cursor feeds from their cursor). Then the builds: copy `landed_full.duckdb` to
`warehouse.duckdb`, time the production `dbt build` (`DBT_BUILD_ARGS`: every model, seed and data
test; the unit tests are CI's), replace its raw tables by those of `landed_next.duckdb` (the same
rows plus the new day's) and time that build once more: what a daily run pays. `--reuse` skips
generation and landing when both landed files exist in the workdir, so builds can be re-timed (or
another checkout timed with `--project-dir`).

Per build: wall time, dbt's own elapsed time (the rest is start-up and parsing), CPU seconds and
peak resident set of the dbt process (wait4), the summed execution time per node kind and the
15 slowest nodes (from `run_results.json` in DBT_TARGET_PATH, default the project's target/).
Results go to stdout and `<workdir>/build_speed.json`. Targets (issue #5): full build of 30 days
at 100k appeals/day under 5 min and 8 GB; one more day under 1 min.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb

from warehouse.settings import DBT_BUILD_ARGS, DBT_PROJECT_DIR, REPO_ROOT

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


def timed_dbt_build(warehouse: Path, threads: int, project_dir: Path = DBT_PROJECT_DIR) -> dict:
    env = dict(os.environ, ZHIHUI_WAREHOUSE_PATH=str(warehouse))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    command = [
        str(Path(sys.executable).parent / "dbt"),
        *DBT_BUILD_ARGS,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--threads",
        str(threads),
        "--quiet",
    ]
    started = time.monotonic()
    with open(os.devnull, "w") as devnull:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=devnull, text=True)
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        print(output[-5000:], file=sys.stderr)
    result = {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "ok": process.returncode == 0,
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }
    return result | node_timings(project_dir)


def node_timings(project_dir: Path, top: int = 15) -> dict:
    """dbt's elapsed time, execution seconds summed per node kind, and the slowest nodes."""
    target = Path(os.environ.get("DBT_TARGET_PATH") or project_dir / "target")
    if not target.is_absolute():
        target = project_dir / target
    try:
        run_results = json.loads((target / "run_results.json").read_text())
    except (OSError, ValueError):
        return {}
    nodes = run_results["results"]
    by_kind: dict[str, float] = {}
    for node in nodes:
        kind = node["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + node["execution_time"]
    slowest = sorted(nodes, key=lambda node: -node["execution_time"])[:top]
    return {
        "dbt_elapsed_seconds": round(run_results["elapsed_time"], 1),
        "nodes": len(nodes),
        "seconds_by_kind": {kind: round(seconds, 1) for kind, seconds in sorted(by_kind.items())},
        "top_nodes": [[node["unique_id"].split(".", 2)[-1], round(node["execution_time"], 2)] for node in slowest],
        # a build that failed says where and why (at the target scale: a node out of memory)
        "failed_nodes": [
            [node["unique_id"].split(".", 2)[-1], node["status"], (node.get("message") or "")[:300]]
            for node in nodes
            if node["status"] in ("error", "fail")
        ],
    }


def replace_raw(warehouse: Path, landed: Path) -> None:
    """Make the warehouse's raw schema a copy of another landed file's (the same rows and more)."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(f"attach '{landed}' as landed (read_only)")
        tables = con.execute(
            "select table_name from duckdb_tables() where database_name = 'landed' and schema_name = 'raw'"
        ).fetchall()
        for (table,) in tables:
            con.execute(f'create or replace table raw."{table}" as select * from landed.raw."{table}"')
        con.execute("detach landed")
    finally:
        con.close()


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


def land_world(args: argparse.Namespace, workdir: Path, full: Path, following: Path) -> dict:
    """Generate the world and land it: the first N days into `full`, then one more day into `following`."""
    from simulator import Simulation

    result: dict = {}
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
        for path in (full, following):
            path.unlink(missing_ok=True)
        result["landed_full"] = land(sim, full, START, last_day)
        result["land_full_seconds"] = round(time.monotonic() - started, 1)
        shutil.copyfile(full, following)
        next_day = last_day + timedelta(days=1)
        sim.set_clock(datetime.combine(next_day + timedelta(days=1), datetime.min.time(), LOCAL) + timedelta(hours=3))
        result["landed_next_day"] = land(sim, following, next_day, next_day)
    finally:
        sim.stop()
    print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--appeals-per-day", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20250601)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a new temporary folder")
    parser.add_argument(
        "--reuse", action="store_true", help="build the worlds already landed in --workdir (no generation, no landing)"
    )
    parser.add_argument(
        "--project-dir", type=Path, default=DBT_PROJECT_DIR, help="the dbt project to build (e.g. an older checkout's)"
    )
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="zhihui-speed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    full, following = workdir / "landed_full.duckdb", workdir / "landed_next.duckdb"
    warehouse = workdir / "warehouse.duckdb"
    world_file = workdir / "world.json"
    if args.reuse:
        if not (full.exists() and following.exists() and world_file.exists()):
            parser.error(f"--reuse: {full}, {following} and {world_file} must exist (run once without --reuse)")
        world = json.loads(world_file.read_text()) | {"reused": True}
    else:
        world = {key: getattr(args, key) for key in ("days", "appeals_per_day", "seed")}
        world |= land_world(args, workdir, full, following)
        world_file.write_text(json.dumps(world, ensure_ascii=False, indent=2))
    result: dict = {"world": world, "threads": args.threads, "workdir": str(workdir)}
    result["project_dir"] = str(args.project_dir)

    for path in (warehouse, warehouse.with_suffix(".duckdb.wal")):
        path.unlink(missing_ok=True)
    shutil.copyfile(full, warehouse)
    result["full_build"] = timed_dbt_build(warehouse, args.threads, args.project_dir)
    if result["full_build"]["ok"]:
        result["counts_full"] = record_counts(warehouse)
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
        replace_raw(warehouse, following)
        result["next_day_build"] = timed_dbt_build(warehouse, args.threads, args.project_dir)
        if result["next_day_build"]["ok"]:
            result["counts_next_day"] = record_counts(warehouse)
    (workdir / "build_speed.json").write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    # a failed build is a result (its figures and failed_nodes are above), and the exit status says so
    return 0 if all(result[build]["ok"] for build in ("full_build", "next_day_build") if build in result) else 1


if __name__ == "__main__":
    sys.exit(main())
