"""How fast the simulator generates, and how much memory it needs as volume grows.

    .venv/bin/python bench/simulate_speed.py              # 1,000,000+ records: 10 days at 90,000 appeals/day
    .venv/bin/python bench/simulate_speed.py --days 2 --volume 20000

Each run generates into a fresh temporary workdir (streamed day by day into the SQLite store),
in a child process so that peak RSS (resource.getrusage) belongs to that run alone.
"""

from __future__ import annotations

import argparse
import json
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
        began = time.perf_counter()
        sim.generate()
        seconds = time.perf_counter() - began
        records = sim.store.one("select count(*) from records")[0]
        size_mb = (Path(tmp) / "world.sqlite").stat().st_size / 2**20
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "days": days,
        "appeals_per_day": volume,
        "records": records,
        "seconds": round(seconds, 1),
        "records_per_second": round(records / seconds),
        "peak_rss_mb": round(peak_mb),
        "store_mb": round(size_mb),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--volume", type=int, default=90_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
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
            f" in {result['seconds']:>6.1f} s ({result['records_per_second']:,}/s),"
            f" peak RSS {result['peak_rss_mb']} MB, store {result['store_mb']} MB",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
