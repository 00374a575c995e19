"""The Simulation: generate the district once, serve its seven feeds, keep the truth in step."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

import orjson

from simulator.clock import HOUR_MS, SimClock, day_start_ms, from_datetime, to_datetime
from simulator.faults import FaultInjector, FaultPlan
from simulator.feeds.http import FeedServer
from simulator.store import StoreReader, StoreWriter, ensure_indexes, read_meta
from simulator.truth import CHANNEL_ORDER, summarise, write_truth
from simulator.world.generator import generate_world

GENERATOR_VERSION = "2"
# Fixed development credentials; the same values are printed as the .env the CLI emits.
CREDENTIALS = {
    "HOTLINE_CLIENT_ID": "zhihui-sim",
    "HOTLINE_CLIENT_SECRET": "sim-secret",
    "CITY_MGMT_API_KEY": "sim-api-key",
    "OPINION_TOKEN": "sim-token",
    "MINSHENG_APP_ID": "zhihui-sim",
    "MINSHENG_SECRET": "sim-secret",
}
MINSHENG_PREFIX = "/gateway/minsheng"  # a path prefix the signature must cover


class Simulation:
    def __init__(
        self,
        workdir: Path,
        start: date,
        days: int = 7,
        appeals_per_day: int = 300,
        seed: int = 20250601,
        faults: FaultPlan | None = None,
        channels: Iterable[str] | None = None,
    ) -> None:
        self.workdir = Path(workdir)
        self.start_date, self.days, self.appeals_per_day, self.seed = start, days, appeals_per_day, seed
        self.faults = faults or FaultPlan.none()
        self.channels = tuple(c for c in CHANNEL_ORDER if channels is None or c in set(channels))
        unknown = set(channels or ()) - set(CHANNEL_ORDER)
        if unknown:
            raise ValueError(f"unknown channels: {sorted(unknown)}")
        if not 1 <= appeals_per_day <= 100_000:
            raise ValueError("appeals_per_day must be within 1..100000")
        end = start + timedelta(days=days)
        self._clock = SimClock(day_start_ms(end) + 3 * HOUR_MS)
        self._servers: dict[str, FeedServer] = {}
        self._petition_folder = None
        self._store: StoreReader | None = None
        self._summary: dict = {}

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def store_path(self) -> Path:
        return self.workdir / "world.sqlite"

    @property
    def truth_path(self) -> Path:
        return self.workdir / "truth.csv"

    def generate(self) -> None:
        """Generate the world into the workdir (skipped when it already holds the same one)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._generate_if_needed()
        ensure_indexes(self.store_path)
        self._store = StoreReader(self.store_path)

    def start(self) -> Simulation:
        self.generate()
        from simulator.feeds.registry import build_feeds

        self._servers, self._petition_folder = build_feeds(self)
        for server in self._servers.values():
            server.start()
        self._refresh()
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._servers = {}

    def __enter__(self) -> Simulation:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the clock -------------------------------------------------------------------------
    @property
    def clock(self) -> datetime:
        return to_datetime(self._clock.now_ms())

    def set_clock(self, moment: datetime) -> None:
        self._clock.set_ms(from_datetime(moment))
        if self._store is not None:
            self._refresh()

    # -- what others read ------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        urls = {key: server.base_url for key, server in self._servers.items()}
        return {
            "HOTLINE_BASE_URL": urls["hotline"],
            "HOTLINE_CLIENT_ID": CREDENTIALS["HOTLINE_CLIENT_ID"],
            "HOTLINE_CLIENT_SECRET": CREDENTIALS["HOTLINE_CLIENT_SECRET"],
            "CITY_MGMT_BASE_URL": urls["city_mgmt"],
            "CITY_MGMT_API_KEY": CREDENTIALS["CITY_MGMT_API_KEY"],
            "PETITION_DROP_DIR": str(self.petition_dir),
            "OPINION_BASE_URL": urls["opinion"],
            "OPINION_TOKEN": CREDENTIALS["OPINION_TOKEN"],
            "WENZHENG_BASE_URL": urls["wenzheng"],
            "WENJI_BASE_URL": urls["wenji"],
            "MINSHENG_BASE_URL": urls["minsheng"],
            "MINSHENG_APP_ID": CREDENTIALS["MINSHENG_APP_ID"],
            "MINSHENG_SECRET": CREDENTIALS["MINSHENG_SECRET"],
        }

    @property
    def petition_dir(self) -> Path:
        return self.workdir / "petition_drop"

    @property
    def summary(self) -> dict:
        return self._summary

    @property
    def store(self) -> StoreReader:
        assert self._store is not None, "call start() first"
        return self._store

    def feed_app(self, channel: str):
        """The app behind a feed server (tests tune its timeouts)."""
        return self._servers[channel].app

    def clock_ms(self) -> int:
        return self._clock.now_ms()

    @property
    def sim_clock(self) -> SimClock:
        return self._clock

    def injector(self, feed: str) -> FaultInjector | None:
        injector = FaultInjector(self.faults, feed, self.seed)
        return injector if injector.enabled else None

    # -- internals -------------------------------------------------------------------------
    def _params(self) -> dict[str, str]:
        return {
            "start": self.start_date.isoformat(),
            "days": str(self.days),
            "appeals_per_day": str(self.appeals_per_day),
            "seed": str(self.seed),
            "channels": ",".join(self.channels),
            "generator_version": GENERATOR_VERSION,
        }

    def _generate_if_needed(self) -> None:
        params = self._params()
        meta = read_meta(self.store_path)
        if meta and all(meta.get(k) == v for k, v in params.items()):
            return
        began = time.perf_counter()
        writer = StoreWriter(self.store_path)
        generation = generate_world(
            writer, self.start_date, self.days, self.appeals_per_day, self.seed, frozenset(self.channels)
        )
        generation["seconds"] = round(time.perf_counter() - began, 2)
        writer.finish({**params, "generation": json.dumps(generation)})

    def _refresh(self) -> None:
        """Bring the file-shaped outputs (drop folder, truth, summary) to the clock."""
        now = self._clock.now_ms()
        if self._petition_folder is not None:
            self._petition_folder.sync(now)
        write_truth(self.store, now, self.truth_path)
        generation = json.loads(read_meta(self.store_path).get("generation", "{}"))
        self._summary = {
            "clock": self.clock.isoformat(),
            "params": self._params(),
            **summarise(self.store, now, generation),
        }
        (self.workdir / "summary.json").write_bytes(orjson.dumps(self._summary, option=orjson.OPT_INDENT_2))
