"""The `zhihui` command line (MART.md): run, demo, ui, simulate; trace and lineage for auditors."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import warnings
from datetime import date, timedelta

from warehouse.settings import REPO_ROOT, Locations

DEMO_START = date(2025, 6, 1)
DEMO_DAYS = 7


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhihui", description="治汇: complaint channels into one mart.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="ingest every channel for a window of days, build, check, publish")
    run.add_argument("--start", required=True, type=date.fromisoformat, help="first day, YYYY-MM-DD")
    run.add_argument("--end", required=True, type=date.fromisoformat, help="last day (inclusive), YYYY-MM-DD")

    demo = commands.add_parser("demo", help="start the simulated feeds and run the pipeline over them")
    demo.add_argument("--volume", type=int, default=300, help="simulated appeals per day (default 300)")
    demo.add_argument("--days", type=int, default=DEMO_DAYS, help="simulated days (default 7)")
    demo.add_argument("--seed", type=int, default=20250601)

    ui = commands.add_parser("ui", help="the Dagster UI on 127.0.0.1 over the project's runs")
    ui.add_argument("--port", type=int, default=3000)

    commands.add_parser("simulate", help="serve the simulated feeds (see `zhihui simulate --help`)", add_help=False)

    trace = commands.add_parser(
        "trace", help="an auditor's view: a complaint's source records, or one kpi_daily figure"
    )
    trace.add_argument("complaint_id", nargs="?", help="the complaint to trace back to its source records")
    trace.add_argument(
        "--kpi", nargs=2, metavar=("DATE", "DISTRICT"), help="explain kpi_daily for that day and district"
    )

    commands.add_parser("lineage", help="write published/lineage.html and .json: mart columns back to raw feed fields")

    args, rest = parser.parse_known_args(argv)
    if args.command == "simulate":
        from simulator.cli import main as simulate_main

        return simulate_main(rest)
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    # Dagster's console logger already prints the run's progress; the root handler adds only
    # warnings (its own level: libraries set DEBUG on their loggers, which would pass root's level)
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    # single-run backfills are what `zhihui run` is built on; Dagster flags the parameter as beta
    warnings.filterwarnings("ignore", message=".*backfill_policy.*")
    if args.command == "run":
        return _run(args.start, args.end)
    if args.command == "demo":
        return _demo(args.volume, args.days, args.seed)
    if args.command == "trace":
        return _trace(parser, args.complaint_id, args.kpi)
    if args.command == "lineage":
        return _lineage()
    return _ui(args.port)


def _run(start: date, end: date) -> int:
    from orchestration.pipeline_run import run_pipeline

    outcome = run_pipeline(start, end)
    if outcome.published:
        print(f"Published the mart (Dagster run {outcome.run_id}).")
        return 0
    print(f"The mart was NOT published (Dagster run {outcome.run_id}).", file=sys.stderr)
    for failure in outcome.failures:
        print(f"  {failure}", file=sys.stderr)
    return 1


def _demo(volume: int, days: int, seed: int) -> int:
    from orchestration.pipeline_run import run_pipeline
    from orchestration.summary import summary_lines
    from simulator import Simulation

    locations = Locations.from_env().ensure()
    last_day = DEMO_START + timedelta(days=days - 1)
    print(f"Starting the simulated district ({volume} appeals/day, {DEMO_START} … {last_day}) …", flush=True)
    with Simulation(locations.simulator_dir, start=DEMO_START, days=days, appeals_per_day=volume, seed=seed) as sim:
        os.environ.update(sim.env)
        # through the simulated today (early on the day after the last day): what was updated
        # after midnight sits in today's window
        outcome = run_pipeline(DEMO_START, sim.clock.date())
    if not outcome.published:
        print(f"The demo run failed (Dagster run {outcome.run_id}):", file=sys.stderr)
        for failure in outcome.failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("\n治汇 demo — summary")
    for line in summary_lines(locations):
        print(f"  {line}")
    print(f"  Dagster run: {outcome.run_id}; ground truth: {sim.truth_path}")
    return 0


def _trace(parser: argparse.ArgumentParser, complaint_id: str | None, kpi: list[str] | None) -> int:
    from orchestration.trace import trace_complaint, trace_kpi

    if bool(complaint_id) == bool(kpi):
        parser.error("trace takes either a complaint id or --kpi DATE DISTRICT")
    locations = Locations.from_env()
    lines = (
        trace_kpi(locations, date.fromisoformat(kpi[0]), kpi[1]) if kpi else trace_complaint(locations, complaint_id)
    )
    print("\n".join(lines))
    return 0


def _lineage() -> int:
    from orchestration.lineage import write_lineage

    json_path, html_path = write_lineage(Locations.from_env().ensure())
    print(f"Column lineage written to {html_path} and {json_path}")
    return 0


def _ui(port: int) -> int:
    from orchestration.instance import prepare_dagster_home

    locations = Locations.from_env().ensure()
    prepare_dagster_home(locations)
    os.environ["ZHIHUI_HOME"] = str(locations.home)
    command = [
        sys.executable,
        "-m",
        "dagster",
        "dev",
        "-m",
        "orchestration.definitions",
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
    ]
    print(f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={os.environ['DAGSTER_HOME']}); Ctrl-C stops it.")
    return subprocess.call(command, cwd=REPO_ROOT)


if __name__ == "__main__":
    raise SystemExit(main())
