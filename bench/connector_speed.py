"""Connector throughput against the local simulator: records/s fetched+parsed+landed, and the ceiling.

    .venv/bin/python bench/connector_speed.py [--appeals-per-day 100000] [--days 1] [--repeats 3]

Two measurements. Against the simulator itself, which renders every answer in Python and so
caps what any client can fetch; then against the same answers recorded once and replayed from
memory by a plain server in another process, which measures the connectors themselves, over
real HTTP, with the same requests in the same order.

Per channel: the ceiling (fetch + parse into Arrow batches, nothing landed) and the full path
(fetch + parse + land into a fresh DuckDB file through warehouse/landing.py, in batches of
--batch-rows). Then all seven together: one fetching thread per channel, one landing writer. The simulator
runs in separate processes (one per channel, over the same generated world) so that its own
Python work does not compete with the connector's for one GIL.
Medians of --repeats runs. The simulated world is generated once and kept in --workdir.
"rec/CPU-s" divides by this process's CPU time (client and DuckDB, not the servers): on a busy
shared machine it says more about the connectors than wall-clock rates do.

`--baseline DIR` compares with another checkout in the same run (`git worktree add DIR REV`):
every replayed measurement then runs in a fresh process, alternately with this checkout's code
and DIR's, on the same recorded answers, so both see the same machine load.

    .venv/bin/python bench/connector_speed.py --skip-simulator --baseline /tmp/base
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import pickle
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import requests

REPO = Path(__file__).resolve().parents[1]
# the code measured: this checkout, or the one a --baseline worker process was started for
CODE = Path(os.environ.get("CONNECTOR_SPEED_CODE") or REPO)
sys.path.insert(0, str(CODE))

from connectors.channels import wenzheng  # noqa: E402
from connectors.core import http as feed_http  # noqa: E402
from connectors.core.channel import BATCH_ROWS  # noqa: E402
from connectors.core.window import DateWindow  # noqa: E402
from connectors.registry import CHANNEL_KEYS, CONNECTORS  # noqa: E402
from simulator import Simulation  # noqa: E402
from warehouse.landing import Load, ensure_raw_tables  # noqa: E402

START = date(2025, 6, 1)


Recording = dict[tuple[str, str], tuple[int, bytes, str]]


def record_answers(recording: Recording):
    """Patch FeedSession.request so every final answer is kept by (method, path?query)."""
    original = feed_http.FeedSession.request

    def recording_request(self, method, url, **kwargs) -> requests.Response:
        response = original(self, method, url, **kwargs)
        parts = urlsplit(response.url)
        content_type = response.headers.get("Content-Type", "application/json")
        recording[(method, f"{parts.path}?{parts.query}")] = (response.status_code, response.content, content_type)
        return response

    feed_http.FeedSession.request = recording_request
    return lambda: setattr(feed_http.FeedSession, "request", original)


def serve_recording(path: Path, pipe) -> None:
    """Child process: serve the pickled recording on an ephemeral port until the pipe closes."""
    recording: Recording = pickle.loads(path.read_bytes())

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            parts = urlsplit(self.path)
            status, body, content_type = recording.get((self.command, f"{parts.path}?{parts.query}"), (404, b"", ""))
            self.send_response(status)
            self.send_header("Content-Type", content_type or "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _answer
        do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pipe.send(server.server_address[1])
    with contextlib.suppress(EOFError):
        pipe.recv()
    server.shutdown()


def _serve(workdir: Path, days: int, appeals_per_day: int, nodelay: bool, pipe) -> None:
    """Child process: serve the simulator until the parent closes the pipe."""
    if nodelay:
        import simulator.feeds.http

        simulator.feeds.http._Handler.disable_nagle_algorithm = True
    with Simulation(workdir, start=START, days=days, appeals_per_day=appeals_per_day, seed=1) as sim:
        pipe.send((sim.env, sim.summary["records_served"]))
        with contextlib.suppress(EOFError):
            pipe.recv()


def start_simulators(args, count: int) -> tuple[list[dict[str, str]], dict, list]:
    """`count` simulator processes over the same world (generated once), so feeds do not share a GIL."""
    context = multiprocessing.get_context("spawn")
    workdir = args.workdir / "sim"
    # generated here, once (the generator has worker processes of its own); the servers reuse it
    Simulation(workdir, start=START, days=args.days, appeals_per_day=args.appeals_per_day, seed=1).generate()
    processes, envs, served = [], [], {}
    for _ in range(count):
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(workdir, args.days, args.appeals_per_day, args.server_nodelay, child), daemon=True
        )
        process.start()
        env, served = parent.recv()  # the first one generates the world; the others reuse it
        envs.append(env)
        processes.append((process, parent))
    return envs, served, processes


def connector_for(channel: str, env: dict[str, str]):
    return CONNECTORS[channel].from_env(env)


def window_for(channel: str, window: DateWindow) -> DateWindow | None:
    return window if CONNECTORS[channel].windowed else None


def ceiling(channel: str, env: dict[str, str], window: DateWindow) -> tuple[int, float, float]:
    """Fetch and parse only: what the connector alone can do. (records, wall s, this process's CPU s)"""
    wall, cpu = time.perf_counter(), time.process_time()
    n = sum(
        b.n_fetched for b in connector_for(channel, env).fetch_pages(window=window_for(channel, window), cursor=None)
    )
    return n, time.perf_counter() - wall, time.process_time() - cpu


def full_path(channel: str, env: dict[str, str], window: DateWindow, db: Path, batch_rows: int):
    con = duckdb.connect(str(db))
    ensure_raw_tables(con, CHANNEL_KEYS)
    wall, cpu = time.perf_counter(), time.process_time()
    load = Load(con, channel)
    connector = connector_for(channel, env)
    for batch in connector.fetch(window=window_for(channel, window), cursor=None, batch_rows=batch_rows):
        load.land(batch)
    counts = load.finish()
    con.close()  # included: closing checkpoints what is still only in the write-ahead log
    elapsed, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    assert counts.reconciles
    return counts.n_fetched, elapsed, cpu_seconds


def all_together(
    env_of: dict[str, dict[str, str]], window: DateWindow, db: Path, batch_rows: int, channels
) -> tuple[int, float, float]:
    """One fetching thread per channel; a single writer lands batches as they come (DuckDB has one writer)."""
    con = duckdb.connect(str(db))
    ensure_raw_tables(con, CHANNEL_KEYS)
    batches: queue.Queue = queue.Queue(maxsize=16)
    began, cpu = time.perf_counter(), time.process_time()
    loads = {channel: Load(con, channel) for channel in channels}

    def fetch(channel: str) -> None:
        try:
            connector = connector_for(channel, env_of[channel])
            for batch in connector.fetch(window=window_for(channel, window), cursor=None, batch_rows=batch_rows):
                batches.put((channel, batch))
        finally:
            batches.put((channel, None))

    threads = [threading.Thread(target=fetch, args=(channel,), daemon=True) for channel in channels]
    for thread in threads:
        thread.start()
    running = len(threads)
    while running:
        channel, batch = batches.get()
        if batch is None:
            running -= 1
        else:
            loads[channel].land(batch)
    total = sum(load.finish().n_fetched for load in loads.values())
    con.close()
    return total, time.perf_counter() - began, time.process_time() - cpu


def median_rate(runs: list[tuple]) -> tuple[int, float, float]:
    """(records, records per wall second, records per CPU second of this process), medians."""
    wall = statistics.median(run[1] for run in runs)
    cpu = statistics.median(run[2] for run in runs) if len(runs[0]) > 2 else 0.0
    return runs[0][0], runs[0][0] / wall if wall else 0.0, runs[0][0] / cpu if cpu else 0.0


def measure(
    channels, env_of, window, args, scratch: Path, repeats: int, baseline: Path | None = None
) -> dict[str, tuple[int, float, float]]:
    """Per channel: (records, ceiling rec/s, landed rec/s), medians of `repeats`; and `baseline`'s alongside."""
    workers = [Worker(REPO), Worker(baseline)] if baseline is not None else [None]
    try:
        return _measure(channels, env_of, window, args, scratch, repeats, workers)
    finally:
        for worker in workers:
            if worker is not None:
                worker.close()


def _measure(channels, env_of, window, args, scratch, repeats, workers) -> dict[str, tuple[int, float, float]]:
    def run(worker, kind, *arguments):
        return globals()[kind](*arguments) if worker is None else worker.run(kind, *arguments)

    def alternated(i: int) -> list:
        return workers if i % 2 == 0 else workers[::-1]

    results = {}
    for channel in channels:
        top: dict = {id(worker): [] for worker in workers}
        runs: dict = {id(worker): [] for worker in workers}
        if len(workers) > 1:  # warm-up, not counted: each worker process's first run pays for imports
            for worker in workers:
                run(worker, "ceiling", channel, env_of[channel], window)
                fresh(scratch)
                run(worker, "full_path", channel, env_of[channel], window, scratch / "warm.duckdb", args.batch_rows)
        for i in range(repeats):
            for worker in alternated(i):
                top[id(worker)].append(run(worker, "ceiling", channel, env_of[channel], window))
        for i in range(repeats):
            for worker in alternated(i):
                fresh(scratch)
                db = scratch / f"{channel}{i}.duckdb"
                runs[id(worker)].append(run(worker, "full_path", channel, env_of[channel], window, db, args.batch_rows))
        for worker in workers:
            ceiling_rate, landed = median_rate(top[id(worker)]), median_rate(runs[id(worker)])
            cpu = statistics.median(r[2] for r in runs[id(worker)])
            if worker is None or worker.code == REPO:
                results[channel] = (landed[0], ceiling_rate[1], landed[1])
            print(
                f"  {channel + (worker.label if worker else ''):<21} {landed[0]:>9,} {ceiling_rate[1]:>14,.0f}"
                f" {landed[1]:>13,.0f} {landed[1] / ceiling_rate[1]:>6.2f} {ceiling_rate[2]:>14,.0f}"
                f" {landed[2]:>13,.0f} {cpu:>10.2f}",
                flush=True,
            )
    together: dict = {id(worker): [] for worker in workers}
    for i in range(repeats):
        for worker in alternated(i):
            fresh(scratch)
            db = scratch / f"all{i}.duckdb"
            together[id(worker)].append(run(worker, "all_together", env_of, window, db, args.batch_rows, channels))
    for worker in workers:
        n, rate, cpu_rate = median_rate(together[id(worker)])
        cpu = statistics.median(r[2] for r in together[id(worker)])
        print(
            f"  all {len(channels)} together{worker.label if worker else ''}: {n:,} records landed at"
            f" {rate:,.0f} records/s, {cpu_rate:,.0f} records/CPU-s, {cpu:.2f} CPU s",
            flush=True,
        )
    return results


class Worker:
    """A process measuring `code`'s connectors and landing (this file's functions, that checkout's modules)."""

    def __init__(self, code: Path) -> None:
        self.code = code
        self.label = "" if code == REPO else " (baseline)"
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            env={**os.environ, "CONNECTOR_SPEED_CODE": str(code)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, kind: str, *arguments) -> tuple[int, float, float]:
        self.process.stdin.write(json.dumps([kind, [_jsonable(argument) for argument in arguments]]) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the worker measuring {self.code} died during {kind}")
        return tuple(json.loads(answer))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _jsonable(value):
    if isinstance(value, DateWindow):
        return {"window": [value.start.isoformat(), value.end.isoformat()]}
    if isinstance(value, Path):
        return {"path": str(value)}
    return value


def _unjson(value):
    if isinstance(value, dict) and set(value) == {"window"}:
        return DateWindow(*(date.fromisoformat(day) for day in value["window"]))
    if isinstance(value, dict) and set(value) == {"path"}:
        return Path(value["path"])
    return value


def serve_measurements() -> None:
    """Worker process: one JSON command a line on stdin, one JSON answer (records, wall s, CPU s) a line."""
    wenzheng.REQUESTS_PER_SECOND = 1e9  # replayed only: as in main
    answers = sys.stdout
    sys.stdout = sys.stderr  # anything else printed stays out of the answers
    for line in sys.stdin:
        kind, arguments = json.loads(line)
        answers.write(json.dumps(list(globals()[kind](*map(_unjson, arguments)))) + "\n")
        answers.flush()


def load_average() -> str:
    """1, 5 and 15-minute load averages (Linux), to say how busy the shared machine was."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def fresh(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def replay_envs(channels, env_of, window, args) -> tuple[dict[str, dict[str, str]], list]:
    """Record each HTTP channel's answers once, then serve each recording from its own process."""
    context = multiprocessing.get_context("spawn")
    envs, processes = {}, []
    for channel in channels:
        env = env_of[channel]
        url_variable = next(
            (s.variable for s in CONNECTORS[channel].settings if s.variable.endswith("_BASE_URL")), None
        )
        if url_variable is None:  # petition reads local files: nothing to replay
            envs[channel] = env
            continue
        recording: dict = {}
        stop_recording = record_answers(recording)
        try:
            ceiling(channel, env, window)
        finally:
            stop_recording()
        path = args.workdir / f"{channel}.recording"
        path.write_bytes(pickle.dumps(recording))
        parent, child = context.Pipe()
        process = context.Process(target=serve_recording, args=(path, child), daemon=True)
        process.start()
        port = parent.recv()
        parts = urlsplit(env[url_variable])
        envs[channel] = {**env, url_variable: f"http://127.0.0.1:{port}{parts.path}"}
        processes.append((process, parent))
    return envs, processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--appeals-per-day", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-rows", type=int, default=BATCH_ROWS)
    parser.add_argument("--channels", default=",".join(CHANNEL_KEYS))
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "zhihui-connector-bench")
    parser.add_argument("--server-nodelay", action="store_true", help="turn Nagle off in the simulator's handler")
    parser.add_argument("--skip-simulator", action="store_true", help="only the replay measurement")
    parser.add_argument("--baseline", type=Path, help="another checkout measured alongside, replayed (see above)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve_measurements()
        return
    channels = [c for c in args.channels.split(",") if c]

    began = time.perf_counter()
    envs, served, processes = start_simulators(args, len(channels))
    env_of = dict(zip(channels, envs, strict=True))
    print(f"{len(processes)} simulator processes ready in {time.perf_counter() - began:.1f}s: {served}", flush=True)
    print(f"load average before: {load_average()}", flush=True)
    window = DateWindow(START, START + timedelta(days=args.days))
    scratch = args.workdir / "warehouses"
    header = (
        f"  {'channel':<21} {'records':>9} {'ceiling rec/s':>14} {'landed rec/s':>13} {'ratio':>6}"
        f" {'ceil rec/CPU-s':>14} {'land rec/CPU-s':>13} {'land CPU s':>10}"
    )
    try:
        if not args.skip_simulator:
            print("against the simulator (bound by the simulator's own rendering; one run each):")
            print(header)
            measure(channels, env_of, window, args, scratch, repeats=1)
        replayed, replayers = replay_envs(channels, env_of, window, args)
        processes += replayers
        # wenzheng's 5 requests a second is the feed's contract; lifted here to measure parse and landing
        wenzheng.REQUESTS_PER_SECOND = 1e9
        print(f"replayed from memory (the connectors' own speed; medians of {args.repeats}):")
        print(header)
        measure(channels, replayed, window, args, scratch, repeats=args.repeats, baseline=args.baseline)
        print(f"load average after: {load_average()}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for process, pipe in processes:
            pipe.close()
            process.join(timeout=10)


if __name__ == "__main__":
    main()
