"""How fast the simulator serves each feed at high volume, and whether deep pages cost more.

    .venv/bin/python bench/serve_speed.py                        # 1 day at 100,000 appeals/day
    .venv/bin/python bench/serve_speed.py --workdir /tmp/w --keep  # generate once, reuse next time
    .venv/bin/python bench/serve_speed.py --baseline /tmp/old-checkout   # same-run A/B against other code

The world is generated once (or reused from --workdir). The simulator then runs as its own
process (`python -m simulator`, as `zhihui simulate` does), so its Python work does not share a
GIL with the client; the client pulls every feed with plain `requests` at the contract's largest
page size (city_mgmt by the plain offset walk, its costliest use), decoding nothing but what it
needs to go on, --repeats times, and reports per feed the median time spent in requests,
records/s over it, and the median latency of the first and the last five pages of the longest
listing (equal when a request's cost does not grow with its offset). wenzheng's 429s (5
requests/s) are waited out and not counted, so its rec/s is the server's, not what a client gets.
With --baseline DIR, the same pulls are also made against `python -m simulator` run from DIR
(another checkout, e.g. a `git worktree` of an older commit), alternating with this one.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests

REPO = Path(__file__).resolve().parents[1]
START = date(2025, 6, 1)
FEEDS = ("hotline", "city_mgmt", "opinion", "wenzheng", "wenji", "minsheng")


class Pull:
    """One feed pulled once: records seen and each request's latency, in order."""

    def __init__(self) -> None:
        self.records = 0
        self.latencies: list[float] = []
        self.listings: list[list[float]] = []  # latencies per listing (window), in page order
        self.digest = hashlib.sha256()

    def new_listing(self) -> None:
        self.listings.append([])

    @property
    def longest(self) -> list[float]:
        return max(self.listings, key=len) if self.listings else self.latencies

    def get(self, session: requests.Session, url: str, **kwargs) -> requests.Response:
        while True:
            began = time.perf_counter()
            response = session.get(url, timeout=120, **kwargs)
            if response.status_code != 429:
                self.latencies.append(time.perf_counter() - began)
                if self.listings:
                    self.listings[-1].append(self.latencies[-1])
                self.digest.update(response.content)
                return response
            time.sleep(float(response.headers.get("Retry-After", "1")))


def pull_hotline(env: dict, days: int) -> Pull:
    pull, session = Pull(), requests.Session()
    token = session.post(
        f"{env['HOTLINE_BASE_URL']}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": env["HOTLINE_CLIENT_ID"],
            "client_secret": env["HOTLINE_CLIENT_SECRET"],
        },
        timeout=30,
    ).json()["access_token"]
    first = START
    while first < START + timedelta(days=days + 1):  # versions run on past the last day
        last = min(first + timedelta(days=7), START + timedelta(days=days + 1))
        window = {"updated_from": f"{first}T00:00:00", "updated_to": f"{last}T00:00:00", "page_size": 500}
        page_token = None
        pull.new_listing()
        while True:
            params = window | ({"page_token": page_token} if page_token else {})
            response = pull.get(
                session,
                f"{env['HOTLINE_BASE_URL']}/api/v2/workorders",
                params=params,
                headers={"Authorization": f"Bearer {token}"},
            )
            data = response.json()["data"]
            pull.records += len(data["items"])
            page_token = data["next_page_token"]
            if page_token is None:
                break
        first = last
    return pull


def pull_city_mgmt(env: dict, days: int) -> Pull:
    """The plain offset walk (the contract's own paging), 24 h windows."""
    pull, session = Pull(), requests.Session()
    day_ms = 86_400_000
    start = _local_ms(START)
    for n in range(days + 1):
        offset = 0
        pull.new_listing()
        while True:
            params = {"startTime": start + n * day_ms, "endTime": start + (n + 1) * day_ms}
            params |= {"offset": offset, "limit": 200}
            body = pull.get(
                session,
                f"{env['CITY_MGMT_BASE_URL']}/openapi/cases",
                params=params,
                headers={"X-Api-Key": env["CITY_MGMT_API_KEY"]},
            ).json()
            pull.records += len(body["rows"])
            offset += len(body["rows"])
            if not body["rows"] or offset >= body["total"]:
                break
    return pull


def pull_opinion(env: dict, days: int) -> Pull:
    pull, session = Pull(), requests.Session()
    since = None
    while True:
        params = {"limit": 1000} | ({"since_id": since} if since else {})
        body = pull.get(
            session,
            f"{env['OPINION_BASE_URL']}/v1/mentions",
            params=params,
            headers={"Authorization": f"Token {env['OPINION_TOKEN']}"},
        ).content
        lines = body.splitlines()
        if not lines:
            return pull
        pull.records += len(lines)
        since = lines[-1][7:26].split(b'"')[0].decode()  # {"id":"<digits>" starts every line


def pull_wenzheng(env: dict, days: int) -> Pull:
    pull, session = Pull(), requests.Session()
    page = 1
    while True:  # one listing, the days and the morning after (second records come up to 72 h later)
        params = {"begin": str(START), "end": str(START + timedelta(days=days)), "page": page, "size": 50}
        body = pull.get(session, f"{env['WENZHENG_BASE_URL']}/api/messages", params=params).json()
        pull.records += len(body["list"])
        if not body["list"] or page >= body["pages"]:
            return pull
        page += 1


def pull_wenji(env: dict, days: int) -> Pull:
    pull, session = Pull(), requests.Session()
    for n in range(days):
        body = pull.get(
            session, f"{env['WENJI_BASE_URL']}/export/suggestions.csv", params={"date": str(START + timedelta(n))}
        ).content
        pull.records += body.count(b"\r\nJY")
    return pull


def pull_minsheng(env: dict, days: int) -> Pull:
    pull, session = Pull(), requests.Session()
    path = urlsplit(env["MINSHENG_BASE_URL"]).path + "/v1/sync"
    token = None
    while True:
        query = urlencode({"limit": 500} | ({"token": token} if token else {}))
        stamp = str(int(time.time()))
        signature = hmac.new(
            env["MINSHENG_SECRET"].encode(), f"GET\n{path}\n{query}\n{stamp}".encode(), hashlib.sha256
        ).hexdigest()
        headers = {"X-App-Id": env["MINSHENG_APP_ID"], "X-Timestamp": stamp, "X-Signature": signature}
        body = pull.get(session, f"{env['MINSHENG_BASE_URL']}/v1/sync?{query}", headers=headers).json()
        pull.records += len(body["items"]) + len(body["deleted"])
        token = body["next_token"]
        if not body["has_more"]:
            return pull


PULLS = {
    "hotline": pull_hotline,
    "city_mgmt": pull_city_mgmt,
    "opinion": pull_opinion,
    "wenzheng": pull_wenzheng,
    "wenji": pull_wenji,
    "minsheng": pull_minsheng,
}


def _local_ms(day: date) -> int:
    return (day - date(1970, 1, 1)).days * 86_400_000 - 8 * 3_600_000


class Server:
    """`python -m simulator` from a checkout, serving the world in `workdir` until stopped."""

    def __init__(self, checkout: Path, workdir: Path, days: int, volume: int) -> None:
        python = checkout / ".venv" / "bin" / "python"
        command = [str(python if python.exists() else sys.executable), "-m", "simulator"]
        command += ["--workdir", str(workdir), "--start", str(START), "--days", str(days), "--volume", str(volume)]
        began = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=checkout, stdout=subprocess.PIPE, text=True, env=os.environ | {"PYTHONPATH": str(checkout)}
        )
        self.env: dict[str, str] = {}
        for line in self.process.stdout:  # type: ignore[union-attr]
            if line.startswith("export "):
                name, _, value = line[7:].strip().partition("=")
                self.env[name] = value.strip("'")
            elif line.startswith("#"):
                self.summary = line.strip()
                break
        self.startup_seconds = time.perf_counter() - began

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(label: str, checkout: Path, workdir: Path, args: argparse.Namespace, results: dict) -> None:
    server = Server(checkout, workdir, args.days, args.volume)
    print(f"[{label}] server up in {server.startup_seconds:.1f} s: {server.summary}", flush=True)
    try:
        for feed in args.feeds:
            pull = PULLS[feed](server.env, args.days)
            results.setdefault((label, feed), []).append(pull)
            seconds = sum(pull.latencies)
            print(
                f"[{label}] {feed}: {pull.records} records, {len(pull.latencies)} requests, "
                f"{seconds:.2f} s in requests, {pull.records / seconds:,.0f} rec/s",
                flush=True,
            )
    finally:
        server.stop()


def report(results: dict, labels: list[str], feeds: list[str]) -> None:
    print("\n| code | feed | records | requests | median s | rec/s | first 5 pages ms | last 5 pages ms |")
    print("|---|---|---|---|---|---|---|---|")
    for feed in feeds:
        for label in labels:
            pulls = results[(label, feed)]
            times = [sum(p.latencies) for p in pulls]
            median = statistics.median(times)
            first = statistics.median(statistics.median(p.longest[:5]) for p in pulls) * 1000
            last = statistics.median(statistics.median(p.longest[-5:]) for p in pulls) * 1000
            digests = {p.digest.hexdigest() for p in pulls}
            same = "" if len(digests) == 1 else " (bytes differ between runs)"
            print(
                f"| {label} | {feed} | {pulls[0].records:,} | {len(pulls[0].latencies)} | {median:.2f} "
                f"| {pulls[0].records / median:,.0f} | {first:.1f} | {last:.1f} |{same}"
            )
    if len(labels) == 2:
        for feed in feeds:
            a, b = ({p.digest.hexdigest() for p in results[(label, feed)]} for label in labels)
            print(f"# {feed}: {'same bytes' if a == b else 'BYTES DIFFER'} from both")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--volume", type=int, default=100_000, help="appeals per day")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--feeds", default=",".join(FEEDS))
    parser.add_argument("--workdir", type=Path, help="where the world is generated (kept); default a temp dir")
    parser.add_argument("--keep", action="store_true", help="keep a temporary workdir")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure in the same run")
    args = parser.parse_args()
    args.feeds = [f for f in args.feeds.split(",") if f]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="zhihui-serve-"))
    print(f"load average {Path('/proc/loadavg').read_text().split()[:3]}; workdir {workdir}", flush=True)
    checkouts = ({"baseline": args.baseline.resolve()} if args.baseline else {}) | {"this": REPO}
    results: dict = {}
    try:
        for repeat in range(args.repeats):
            for label, checkout in checkouts.items():
                own = workdir / label  # each code its own copy: this code may add indexes to the store
                if repeat == 0 and label == "this" and args.baseline and not (own / "world.sqlite").exists():
                    own.mkdir(parents=True, exist_ok=True)
                    shutil.copy(workdir / "baseline" / "world.sqlite", own / "world.sqlite")
                measure(label, checkout, own, args, results)
        report(results, list(checkouts), args.feeds)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"load average {Path('/proc/loadavg').read_text().split()[:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
