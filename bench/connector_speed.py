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
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import pickle
import queue
import shutil
import statistics
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
sys.path.insert(0, str(REPO))

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


def measure(channels, env_of, window, args, scratch: Path, repeats: int) -> dict[str, tuple[int, float, float]]:
    """Per channel: (records, ceiling rec/s, landed rec/s), medians of `repeats`."""
    results = {}
    for channel in channels:
        top = median_rate([ceiling(channel, env_of[channel], window) for _ in range(repeats)])
        runs = []
        for i in range(repeats):
            fresh(scratch)
            runs.append(full_path(channel, env_of[channel], window, scratch / f"{channel}{i}.duckdb", args.batch_rows))
        landed = median_rate(runs)
        results[channel] = (landed[0], top[1], landed[1])
        print(
            f"  {channel:<10} {landed[0]:>9,} {top[1]:>14,.0f} {landed[1]:>13,.0f} {landed[1] / top[1]:>8.2f}"
            f" {top[2]:>14,.0f} {landed[2]:>13,.0f}",
            flush=True,
        )
    together = []
    for i in range(repeats):
        fresh(scratch)
        together.append(all_together(env_of, window, scratch / f"all{i}.duckdb", args.batch_rows, channels))
    n, rate, cpu_rate = median_rate(together)
    print(
        f"  all {len(channels)} together: {n:,} records landed at {rate:,.0f} records/s, {cpu_rate:,.0f} records/CPU-s",
        flush=True,
    )
    return results


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
    args = parser.parse_args()
    channels = [c for c in args.channels.split(",") if c]

    began = time.perf_counter()
    envs, served, processes = start_simulators(args, len(channels))
    env_of = dict(zip(channels, envs, strict=True))
    print(f"{len(processes)} simulator processes ready in {time.perf_counter() - began:.1f}s: {served}", flush=True)
    print(f"load average before: {load_average()}", flush=True)
    window = DateWindow(START, START + timedelta(days=args.days))
    scratch = args.workdir / "warehouses"
    header = (
        f"  {'channel':<10} {'records':>9} {'ceiling rec/s':>14} {'landed rec/s':>13} {'ratio':>8}"
        f" {'ceil rec/CPU-s':>14} {'land rec/CPU-s':>13}"
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
        measure(channels, replayed, window, args, scratch, repeats=args.repeats)
        print(f"load average after: {load_average()}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for process, pipe in processes:
            pipe.close()
            process.join(timeout=10)


if __name__ == "__main__":
    main()
