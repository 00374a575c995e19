"""`zhihui simulate`: generate the district, serve its feeds, print their settings, serve until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import threading
from datetime import date, datetime
from pathlib import Path

from simulator.faults import ALL_KINDS, FaultPlan
from simulator.simulation import Simulation


def default_workdir() -> Path:
    return Path(os.environ.get("ZHIHUI_HOME", "warehouse/data")) / "simulator"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="zhihui simulate", description="Serve the simulated district's feeds.")
    parser.add_argument("--workdir", type=Path, default=default_workdir())
    parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 6, 1))
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--volume", type=int, default=300, help="appeals per day (1..100000)")
    parser.add_argument("--seed", type=int, default=20250601)
    parser.add_argument("--faults", type=float, default=0.0, help="fault rate per request, 0..1")
    parser.add_argument("--fault-kinds", default="", help=f"comma-separated subset of {','.join(sorted(ALL_KINDS))}")
    parser.add_argument("--stall-seconds", type=float, default=35.0)
    parser.add_argument(
        "--clock",
        type=datetime.fromisoformat,
        default=None,
        help="simulated now (local time); default 03:00 the day after the last day",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds = {k.strip() for k in args.fault_kinds.split(",") if k.strip()} or None
    try:
        plan = FaultPlan(rate=args.faults, kinds=kinds, stall_seconds=args.stall_seconds)
        sim = Simulation(args.workdir, args.start, args.days, args.volume, args.seed, faults=plan)
    except ValueError as error:
        print(f"zhihui simulate: {error}", file=sys.stderr)
        return 2
    sim.start()
    if args.clock is not None:
        sim.set_clock(args.clock)
    for name, value in sim.env.items():
        print(f"export {name}={shlex.quote(value)}")
    served = sim.summary["records_served"]
    print(
        f"# simulated {args.start}..{args.days} days at {args.volume}/day, clock {sim.clock.isoformat()}: "
        + ", ".join(f"{k} {v}" for k, v in served.items())
        + f"; truth {sim.truth_path}",
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
