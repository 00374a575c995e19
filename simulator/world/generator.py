"""The district, day by day: incidents, the appeals they draw, and the channel records.

Generation runs in two stages so that it can use several processes and still give the same
world for a seed whatever their number:

1. The *plan* (`Planner`, one process, the seed's own random stream): day by day, the incidents,
   the appeals they draw, who makes them (a person seed, so a returning person is the same
   person), which channels carry them and when, and every record id (ids depend on the order of
   the whole run, so they are minted here). It is cheap and holds only a bounded pool of recent
   people; it is cut into chunks of about `CHUNK_APPEALS` appeals.
2. The *records* (`build_chunk`, any process): each chunk is built with its own random stream,
   derived from (seed, chunk number): wording, workflows, versions, JSON. Chunks are written to
   the store in plan order, so the store's rows are the same for 1 or N workers.

Memory stays flat however many days or appeals are asked for: the plan is streamed and only a
few chunks are in flight at a time.
"""

from __future__ import annotations

import os
import random
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import orjson

from simulator.clock import DAY_MS, HOUR_MS, MINUTE_MS, day_start_ms, fmt_local
from simulator.records import city_mgmt, hotline, minsheng, opinion, petition, wenji, wenzheng
from simulator.records.context import BuildContext
from simulator.store import FOREVER_MS, StoreWriter
from simulator.world.draw import Weighted, below, between, one
from simulator.world.ids import IdMint
from simulator.world.kinds import KINDS
from simulator.world.model import Appeal, Incident, SourceRecord
from simulator.world.persons import Person, make_person
from simulator.world.region import load_district

# Where a person takes an appeal first (hotline is by far the largest intake).
FIRST_CHANNEL = {"hotline": 50, "minsheng": 13, "city_mgmt": 10, "wenzheng": 10, "petition": 6, "wenji": 5}
FIRST_CHANNEL_PRIVATE = {c: w for c, w in FIRST_CHANNEL.items() if c != "city_mgmt"}
# Calls by hour of day, local time.
HOURLY = (1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 10, 12, 12, 11, 10, 9, 8, 7, 5, 3, 2)
SECOND_RECORD_P = 0.15  # appeals carried again: repeated on one channel or sent through another
THIRD_RECORD_P = 0.02
PATROL_P = 0.15  # share of spatial problem reports that come from 网格员/cameras
PERSON_REUSE_P = 0.03  # hard negatives: the same person with a different appeal
PATROL_SOURCES = ("网格员巡查", "视频监控")
SPOT_MARKS = ("小区东门", "菜市场旁", "公交站", "学校门口", "小区北门")

CHUNK_APPEALS = 2000  # appeals per chunk of record building (fixed: chunks decide the random streams)
PARALLEL_FROM_APPEALS = 20_000  # below this many appeals in all, one process is faster than spawning
WORKERS_ENV = "ZHIHUI_SIM_WORKERS"

# Plan entries (plain tuples: cheap to make and to send to a worker).
# incident: (incident_id, kind_index, street_index, community_index, road, spot, lat, lng, start_ms)
# person:   (person_seed, street_index)
# job "P":  ("P", appeal_id, incident, at_ms, case_id)                     patrol/camera case
# job "A":  ("A", appeal_id, incident, person, appeal_type, at_ms, records)  one person's appeal
#           records: ((channel, at_ms, record_id, flag), ...), flag: hotline 1 repeat / 2 并单,
#           petition 1 = 重复信访
# job "O":  ("O", appeal_id, incident, at_ms, size, posts)                 an opinion cascade
#           posts: ((post_id, at_ms, parent_index or -1), ...)


@dataclass
class Chunk:
    number: int
    seed: int
    jobs: list
    channels: frozenset[str]


class Planner:
    """The cheap, sequential stage: what happens, to whom, when, under which ids."""

    def __init__(self, start: date, days: int, appeals_per_day: int, seed: int) -> None:
        self.start, self.days, self.appeals_per_day, self.seed = start, days, appeals_per_day, seed
        self.rng = random.Random(seed)
        self.ids = IdMint(self.rng)
        self.district = load_district()
        self.recent_people: deque[tuple[int, int]] = deque(maxlen=5000)
        self.stats: Counter[str] = Counter()
        self._kinds = Weighted({i: k.weight for i, k in enumerate(KINDS)})
        self._hours = Weighted(dict(enumerate(HOURLY)))
        self._first = Weighted(FIRST_CHANNEL)
        self._first_private = Weighted(FIRST_CHANNEL_PRIVATE)

    def chunks(self, channels: frozenset[str]) -> Iterator[Chunk]:
        jobs: list = []
        appeals = number = 0
        for job in self.jobs():
            jobs.append(job)
            appeals += 1
            if appeals >= CHUNK_APPEALS:
                yield Chunk(number, self.seed, jobs, channels)
                jobs, appeals, number = [], 0, number + 1
        if jobs:
            yield Chunk(number, self.seed, jobs, channels)

    def jobs(self) -> Iterator[tuple]:
        for offset in range(self.days):
            day = self.start + timedelta(days=offset)
            yield from self._day(day)
            self.ids.forget_before(fmt_local(day_start_ms(day - timedelta(days=3)), "%Y%m%d"))

    def _day(self, day: date) -> Iterator[tuple]:
        rng = self.rng
        weekend = day.weekday() >= 5
        target = max(1, round(self.appeals_per_day * (0.85 if weekend else 1.0) * rng.uniform(0.95, 1.05)))
        made = 0
        while made < target:
            incident = self._incident(day)
            spatial = KINDS[incident[1]].is_spatial
            size = min(self._size(spatial), max(1, target - made))
            made += size
            yield from self._incident_jobs(incident, spatial, size)
            if spatial and rng.random() < 0.03:
                twin = self._incident(day, like=incident)  # same street, category and day, another event
                made += 1
                yield from self._incident_jobs(twin, spatial, 1)
            if size >= 8 or (spatial and rng.random() < 0.02):
                for _ in range(1 + size // 15):
                    made += 1
                    yield self._opinion_job(incident, size)

    def _incident(self, day: date, like: tuple | None = None) -> tuple:
        rng, streets = self.rng, self.district.streets
        kind_index = like[1] if like else self._kinds.draw(rng)
        street_index = like[2] if like else below(rng, len(streets))
        street = streets[street_index]
        roads = street.roads
        road = one(rng, roads)
        form = below(rng, 3)
        if form == 0:
            spot = f"{road}{1 + below(rng, 399)}号附近"
        elif form == 1:
            spot = f"{road}与{one(rng, roads)}交叉口"
        else:
            spot = f"{road}{one(rng, SPOT_MARKS)}"
        hour = self._hours.draw(rng)
        at = day_start_ms(day) + hour * HOUR_MS + below(rng, HOUR_MS)
        self.stats["incidents"] += 1
        return (
            self.ids.incident_id(),
            kind_index,
            street_index,
            below(rng, len(street.communities)),
            road,
            spot,
            street.lat + rng.uniform(-0.006, 0.006),
            street.lng + rng.uniform(-0.006, 0.006),
            at,
        )

    def _size(self, spatial: bool) -> int:
        rng = self.rng
        r = rng.random()
        if not spatial:
            return 1 if r < 0.92 else between(rng, 2, 4)
        if r < 0.6:
            return 1
        if r < 0.88:
            return between(rng, 2, 5)
        if r < 0.97:
            return between(rng, 6, 20)
        return between(rng, 21, 80)

    def _incident_jobs(self, incident: tuple, spatial: bool, size: int) -> Iterator[tuple]:
        rng, ids, stats = self.rng, self.ids, self.stats
        start = incident[8]
        day_end = start - (start + 8 * HOUR_MS) % DAY_MS + DAY_MS - MINUTE_MS
        for i in range(size):
            at = start if i == 0 else min(day_end, start + int(rng.expovariate(1 / 90) * MINUTE_MS))
            if spatial and rng.random() < PATROL_P:
                stats["appeals"] += 1
                stats["patrol_appeals"] += 1
                yield ("P", ids.appeal_id(), incident, at, ids.case_id(at))
                continue
            yield self._person_job(incident, spatial, at)

    def _person_job(self, incident: tuple, spatial: bool, at: int) -> tuple:
        rng, ids, stats = self.rng, self.ids, self.stats
        person = self._person(incident)
        chooser = self._first if spatial else self._first_private
        first = chooser.draw(rng)
        if first == "wenji":
            appeal_type = "建议"
        else:
            kind_types = KINDS[incident[1]].appeal_types
            appeal_type = kind_types[min(int(rng.random() ** 1.6 * len(kind_types)), len(kind_types) - 1)]
        appeal_id = ids.appeal_id()
        stats["appeals"] += 1
        stats["person_appeals"] += 1
        records = [(first, at, self._mint(first, at), 0)]
        extra = 2 if rng.random() < THIRD_RECORD_P else 1 if rng.random() < SECOND_RECORD_P else 0
        if extra:
            stats["multi_record_appeals"] += 1
        channels_used = {first}
        for _ in range(extra):
            later = at + (_hours(rng, 0.5, 12) if rng.random() < 0.7 else _hours(rng, 12, 72))
            if first == "hotline" and rng.random() < 0.5:
                stats["hotline_repeats"] += 1
                merge = rng.random() < 0.5
                records.append(("hotline", later, ids.order_no(later), 2 if merge else 1))
                continue
            other = chooser.draw(rng)
            channels_used.add(other)
            repeated_petition = other == first == "petition"  # 重复信访; another hotline call is not a repeat here
            records.append((other, later, self._mint(other, later), 1 if repeated_petition else 0))
        if len(channels_used) > 1:
            stats["multi_channel_appeals"] += 1
        return ("A", appeal_id, incident, person, appeal_type, at, tuple(records))

    def _mint(self, channel: str, at: int) -> str | int | None:
        ids = self.ids
        if channel == "hotline":
            return ids.order_no(at)
        if channel == "city_mgmt":
            return ids.case_id(at)
        if channel == "petition":
            return ids.petition_id(at, self.district.code)
        if channel == "wenji":
            return ids.suggestion_id(at)
        if channel == "wenzheng":
            return ids.msg_id()
        return None  # minsheng ids are random uuids, drawn by the record builder

    def _person(self, incident: tuple) -> tuple[int, int]:
        rng = self.rng
        if self.recent_people and rng.random() < PERSON_REUSE_P:
            self.stats["people_reused"] += 1
            return one(rng, self.recent_people)
        person = (rng.getrandbits(64), incident[2])
        self.recent_people.append(person)
        return person

    def _opinion_job(self, incident: tuple, size: int) -> tuple:
        rng, ids, stats = self.rng, self.ids, self.stats
        at = incident[8] + _minutes(rng, 5, 300)
        appeal_id = ids.appeal_id()
        stats["appeals"] += 1
        stats["opinion_posts"] += 1
        posts = [(ids.post_id(at), at, -1)]
        n_reposts = min(int(rng.paretovariate(1.1)) - 1 + size // 10, 80)
        for _ in range(n_reposts):
            parent = below(rng, len(posts))
            repost_at = posts[parent][1] + _minutes(rng, 1, 240)
            posts.append((ids.post_id(repost_at), repost_at, parent))
            stats["opinion_reposts"] += 1
        return ("O", appeal_id, incident, at, size, tuple(posts))


def _minutes(rng: random.Random, low: float, high: float) -> int:
    return int(rng.uniform(low, high) * MINUTE_MS)


def _hours(rng: random.Random, low: float, high: float) -> int:
    return int(rng.uniform(low, high) * HOUR_MS)


class PremintedIds:
    """The record builders' id source inside a chunk: the id the plan minted for the next record."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.next: str | int | None = None

    def _take(self, *_: object) -> str | int:
        value = self.next
        assert value is not None
        self.next = None
        return value

    order_no = case_id = petition_id = suggestion_id = msg_id = post_id = _take

    def uuid(self) -> str:
        bits = self._rng.getrandbits(128)
        bits = (bits & ~(0xF000 << 64) | (4 << 76)) & ~(0xC000 << 48) | (0x8000 << 48)  # version 4, RFC 4122
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def build_chunk(chunk: Chunk) -> tuple[list[tuple], list[tuple]]:
    """The chunk's store rows: (records rows, versions rows), in plan order."""
    rng = random.Random(f"{chunk.seed}:chunk:{chunk.number}")
    ids = PremintedIds(rng)
    district = load_district()
    ctx = BuildContext(rng, ids, district)  # type: ignore[arg-type]
    streets, code, wanted = district.streets, district.code, chunk.channels
    incidents: dict[str, Incident] = {}
    persons: dict[int, Person] = {}
    person_rng = random.Random()
    record_rows: list[tuple] = []
    version_rows: list[tuple] = []
    dumps = orjson.dumps

    def emit(record: SourceRecord) -> None:
        if record.channel not in wanted:
            return
        channel, record_id, patches = record.channel, record.record_id, record.patches
        record_rows.append(
            (
                channel,
                record_id,
                record.appeal_id,
                record.incident_id,
                record.created_ms,
                record.served_from_ms,
                record.sort_key,
                dumps(record.base),
                dumps(patches),
            )
        )
        start = record.created_ms
        for at_ms, _ in patches:
            version_rows.append((channel, record_id, start, at_ms))
            start = at_ms
        version_rows.append((channel, record_id, start, FOREVER_MS))

    def incident_of(spec: tuple) -> Incident:
        found = incidents.get(spec[0])
        if found is None:
            street = streets[spec[2]]
            found = incidents[spec[0]] = Incident(
                spec[0], KINDS[spec[1]], street, street.communities[spec[3]], *spec[4:]
            )
        return found

    for job in chunk.jobs:
        tag = job[0]
        if tag == "A":
            _, appeal_id, incident_spec, (person_seed, street_index), appeal_type, at, records = job
            person = persons.get(person_seed)
            if person is None:
                person_rng.seed(person_seed)
                person = persons[person_seed] = make_person(person_rng, code, streets[street_index])
            appeal = Appeal(appeal_id, incident_of(incident_spec), person, appeal_type, at)
            first = None
            for channel, record_at, record_id, flag in records:
                ids.next = record_id
                if channel == "hotline":
                    if flag:
                        record = hotline.build(ctx, appeal, record_at, repeat_of=first, merge=flag == 2)
                    else:
                        record = hotline.build(ctx, appeal, record_at)
                elif channel == "city_mgmt":
                    record = city_mgmt.build(ctx, appeal, record_at, source="市民上报")
                elif channel == "petition":
                    record = petition.build(ctx, appeal, record_at, repeat=flag == 1)
                elif channel == "wenzheng":
                    record = wenzheng.build(ctx, appeal, record_at)
                elif channel == "wenji":
                    record = wenji.build(ctx, appeal, record_at)
                else:
                    record = minsheng.build(ctx, appeal, record_at)
                if first is None:
                    first = record
                emit(record)
        elif tag == "P":
            _, appeal_id, incident_spec, at, case_id = job
            appeal = Appeal(appeal_id, incident_of(incident_spec), None, "投诉", at)
            ids.next = case_id
            emit(city_mgmt.build(ctx, appeal, at, source=one(rng, PATROL_SOURCES)))
        else:
            _, appeal_id, incident_spec, at, _size, posts = job
            appeal = Appeal(appeal_id, incident_of(incident_spec), None, "投诉", at)
            built: list[SourceRecord] = []
            for post_id, post_at, parent in posts:
                ids.next = post_id
                post = opinion.build(ctx, appeal, post_at, repost_of=built[parent] if parent >= 0 else None)
                built.append(post)
                emit(post)
    return record_rows, version_rows


def build_chunk_to_file(chunk: Chunk, path: str) -> str:
    """Worker side: build one chunk into its own small SQLite file for the parent to merge."""
    records, versions = build_chunk(chunk)
    StoreWriter.write_part(Path(path), records, versions)
    return path


def default_workers(total_appeals: int) -> int:
    configured = os.environ.get(WORKERS_ENV)
    if configured:
        return max(1, int(configured))
    if total_appeals < PARALLEL_FROM_APPEALS:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def generate_world(
    writer: StoreWriter,
    start: date,
    days: int,
    appeals_per_day: int,
    seed: int,
    channels: frozenset[str],
    workers: int | None = None,
) -> dict[str, int]:
    """Plan and build the whole world into `writer`; returns the generator's counters."""
    planner = Planner(start, days, appeals_per_day, seed)
    if workers is None:
        workers = default_workers(days * appeals_per_day)
    chunks = planner.chunks(channels)
    if workers <= 1:
        for chunk in chunks:
            writer.add_rows(*build_chunk(chunk))
    else:
        _generate_parallel(writer, chunks, workers)
    writer.workers = workers
    return dict(planner.stats)


def _generate_parallel(writer: StoreWriter, chunks: Iterator[Chunk], workers: int) -> None:
    """Workers build chunks into part files; the parent keeps planning and merges them in order.

    Chunk n goes to worker n mod N, so the oldest chunk in flight is always the next to merge.
    """
    from simulator.world.worker import WorkerProcess

    parts_dir = writer.path.parent / f".{writer.path.name}.parts"
    parts_dir.mkdir(exist_ok=True)
    pool = [WorkerProcess() for _ in range(workers)]
    pending: deque[WorkerProcess] = deque()
    try:
        for chunk in chunks:
            worker = pool[chunk.number % workers]
            worker.submit((chunk, str(parts_dir / f"{chunk.number:06d}.sqlite")))
            pending.append(worker)
            while len(pending) > 2 * workers:
                writer.merge_part(Path(pending.popleft().result()))
        while pending:
            writer.merge_part(Path(pending.popleft().result()))
        for worker in pool:
            worker.close()
    finally:
        for worker in pool:
            worker.kill()
        for leftover in parts_dir.glob("*"):
            leftover.unlink(missing_ok=True)
        parts_dir.rmdir()
