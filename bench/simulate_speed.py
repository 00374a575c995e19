"""How fast the simulator generates, and how much memory it needs as volume grows.

    .venv/bin/python bench/simulate_speed.py              # 1,000,000+ records: 10 days at 90,000 appeals/day
    .venv/bin/python bench/simulate_speed.py --days 2 --volume 20000
    .venv/bin/python bench/simulate_speed.py --workers 1     # one process (default: one per core)

Each run generates into a fresh temporary workdir (planned day by day, records built in worker
processes, merged in order into the SQLite store), in a child process so that peak RSS
(resource.getrusage) belongs to that run alone: the parent's, and the largest of its workers'.
CPU seconds (parent + workers) are printed too: on a shared machine they move less than wall time.
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
from datetime import date
from pathlib import Path


def generate_once(days: int, volume: int) -> dict:
    from simulator.simulation import Simulation

    with tempfile.TemporaryDirectory(prefix="zhihui-bench-") as tmp:
        sim = Simulation(Path(tmp), date(2025, 6, 1), days=days, appeals_per_day=volume)
        began, cpu_began = time.perf_counter(), _cpu_seconds()
        sim.generate()
        seconds = time.perf_counter() - began
        cpu = _cpu_seconds() - cpu_began
        records = sim.store.one("select count(*) from records")[0]
        workers = int(sim.store.one("select value from meta where key = 'workers'")[0])
        size_mb = (Path(tmp) / "world.sqlite").stat().st_size / 2**20
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if workers > 1 else 0
    return {
        "days": days,
        "appeals_per_day": volume,
        "records": records,
        "seconds": round(seconds, 1),
        "records_per_second": round(records / seconds),
        "cpu_seconds": round(cpu, 1),
        "workers": workers,
        "peak_rss_mb": round(peak_mb),
        "worker_peak_rss_mb": round(worker_peak_mb),
        "store_mb": round(size_mb),
    }


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--volume", type=int, default=90_000)
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.workers is not None:
        from simulator.world.generator import WORKERS_ENV

        os.environ[WORKERS_ENV] = str(args.workers)
    if args.child:
        print(json.dumps(generate_once(args.days, args.volume)))
        return 0
    runs = [(args.days, args.volume // 10), (args.days, args.volume)]
    for days, volume in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--days", str(days), "--volume", str(volume)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out)
        print(
            f"{result['days']} days x {result['appeals_per_day']:>6} appeals/day: {result['records']:>9,} records"
            f" in {result['seconds']:>6.1f} s ({result['records_per_second']:,}/s, {result['cpu_seconds']} CPU s),"
            f" {result['workers']} worker(s), peak RSS {result['peak_rss_mb']} MB parent"
            f" / {result['worker_peak_rss_mb']} MB largest worker, store {result['store_mb']} MB",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
