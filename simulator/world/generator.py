"""The district, day by day: incidents, the appeals they draw, and the channel records.

Streams records (SourceRecord) in creation order per incident; holds only a bounded pool of
recent people, so memory stays flat however many days or appeals are asked for.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Iterator
from datetime import date, timedelta

from simulator.clock import DAY_MS, MINUTE_MS, day_start_ms, fmt_local, local_day
from simulator.records import city_mgmt, hotline, minsheng, opinion, petition, wenji, wenzheng
from simulator.records.context import BuildContext
from simulator.world.draw import Weighted, one
from simulator.world.ids import IdMint
from simulator.world.kinds import KINDS, ProblemKind
from simulator.world.model import Appeal, Incident, SourceRecord
from simulator.world.persons import Person, make_person
from simulator.world.region import load_district

# Where a person takes an appeal first (hotline is by far the largest intake).
FIRST_CHANNEL = {"hotline": 50, "minsheng": 13, "city_mgmt": 10, "wenzheng": 10, "petition": 6, "wenji": 5}
# Calls by hour of day, local time.
HOURLY = (1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 10, 12, 12, 11, 10, 9, 8, 7, 5, 3, 2)
SECOND_RECORD_P = 0.15  # appeals carried again: repeated on one channel or sent through another
THIRD_RECORD_P = 0.02
PATROL_P = 0.15  # share of spatial problem reports that come from 网格员/cameras
PERSON_REUSE_P = 0.03  # hard negatives: the same person with a different appeal


class WorldGenerator:
    def __init__(self, start: date, days: int, appeals_per_day: int, seed: int) -> None:
        self.start, self.days, self.appeals_per_day = start, days, appeals_per_day
        self.rng = random.Random(seed)
        self.ctx = BuildContext(self.rng, IdMint(self.rng), load_district())
        self.recent_people: deque[Person] = deque(maxlen=5000)
        self.stats: Counter[str] = Counter()
        self._kinds = Weighted({k: k.weight for k in KINDS})
        self._hours = Weighted(dict(enumerate(HOURLY)))

    def records(self) -> Iterator[SourceRecord]:
        for offset in range(self.days):
            day = self.start + timedelta(days=offset)
            yield from self._day(day)
            self.ctx.ids.forget_before(fmt_local(day_start_ms(day - timedelta(days=3)), "%Y%m%d"))

    def _day(self, day: date) -> Iterator[SourceRecord]:
        rng = self.rng
        weekend = day.weekday() >= 5
        target = max(1, round(self.appeals_per_day * (0.85 if weekend else 1.0) * rng.uniform(0.95, 1.05)))
        made = 0
        while made < target:
            incident = self._incident(day)
            size = min(self._size(incident.kind), max(1, target - made))
            made += size
            yield from self._incident_records(incident, size)
            if incident.kind.is_spatial and rng.random() < 0.03:
                twin = self._incident(day, like=incident)  # same street, category and day, another event
                made += 1
                yield from self._incident_records(twin, 1)
            if size >= 8 or (incident.kind.is_spatial and rng.random() < 0.02):
                for _ in range(1 + size // 15):
                    made += 1
                    yield from self._opinion_cascade(incident, size)

    def _incident(self, day: date, like: Incident | None = None) -> Incident:
        rng, district = self.rng, self.ctx.district
        kind = like.kind if like else self._kinds.draw(rng)
        street = like.street if like else one(rng, district.streets)
        road = one(rng, street.roads)
        spot = one(
            rng,
            (
                f"{road}{rng.randrange(1, 400)}号附近",
                f"{road}与{one(rng, street.roads)}交叉口",
                f"{road}{one(rng, ('小区东门', '菜市场旁', '公交站', '学校门口', '小区北门'))}",
            ),
        )
        hour = self._hours.draw(rng)
        at = day_start_ms(day) + hour * 3_600_000 + rng.randrange(3_600_000)
        self.stats["incidents"] += 1
        return Incident(
            self.ctx.ids.incident_id(),
            kind,
            street,
            one(rng, street.communities),
            road,
            spot,
            street.lat + rng.uniform(-0.006, 0.006),
            street.lng + rng.uniform(-0.006, 0.006),
            at,
        )

    def _size(self, kind: ProblemKind) -> int:
        r = self.rng.random()
        if not kind.is_spatial:
            return 1 if r < 0.92 else self.rng.randint(2, 4)
        if r < 0.6:
            return 1
        if r < 0.88:
            return self.rng.randint(2, 5)
        if r < 0.97:
            return self.rng.randint(6, 20)
        return self.rng.randint(21, 80)

    def _incident_records(self, incident: Incident, size: int) -> Iterator[SourceRecord]:
        rng = self.rng
        day_end = day_start_ms(local_day(incident.start_ms)) + DAY_MS - MINUTE_MS
        for i in range(size):
            at = (
                incident.start_ms
                if i == 0
                else min(day_end, incident.start_ms + int(rng.expovariate(1 / 90) * MINUTE_MS))
            )
            if incident.kind.is_spatial and rng.random() < PATROL_P:
                appeal = Appeal(self.ctx.ids.appeal_id(), incident, None, "投诉", at)
                self.stats["appeals"] += 1
                self.stats["patrol_appeals"] += 1
                yield city_mgmt.build(self.ctx, appeal, at, source=one(rng, ("网格员巡查", "视频监控")))
                continue
            yield from self._person_appeal(incident, at)

    def _person_appeal(self, incident: Incident, at: int) -> Iterator[SourceRecord]:
        rng, ctx = self.rng, self.ctx
        person = self._person(incident)
        channels = dict(FIRST_CHANNEL)
        if not incident.kind.is_spatial:
            del channels["city_mgmt"]
        first = ctx.pick(channels)
        kind_types = incident.kind.appeal_types
        appeal_type = (
            "建议"
            if first == "wenji"
            else kind_types[min(int(rng.random() ** 1.6 * len(kind_types)), len(kind_types) - 1)]
        )
        appeal = Appeal(ctx.ids.appeal_id(), incident, person, appeal_type, at)
        self.stats["appeals"] += 1
        self.stats["person_appeals"] += 1
        record = self._build(first, appeal, at)
        yield record
        extra = 2 if rng.random() < THIRD_RECORD_P else 1 if rng.random() < SECOND_RECORD_P else 0
        if extra:
            self.stats["multi_record_appeals"] += 1
        channels_used = {first}
        for _ in range(extra):
            later = at + (ctx.hours(0.5, 12) if rng.random() < 0.7 else ctx.hours(12, 72))
            if first == "hotline" and rng.random() < 0.5:
                self.stats["hotline_repeats"] += 1
                yield hotline.build(ctx, appeal, later, repeat_of=record, merge=rng.random() < 0.5)
                continue
            other = ctx.pick(channels)
            channels_used.add(other)
            yield self._build(other, appeal, later, repeat=other == first)
        if len(channels_used) > 1:
            self.stats["multi_channel_appeals"] += 1

    def _build(self, channel: str, appeal: Appeal, at: int, repeat: bool = False) -> SourceRecord:
        builders = {
            "hotline": hotline.build,
            "city_mgmt": city_mgmt.build,
            "petition": petition.build,
            "wenzheng": wenzheng.build,
            "wenji": wenji.build,
            "minsheng": minsheng.build,
        }
        if channel == "city_mgmt":
            return city_mgmt.build(self.ctx, appeal, at, source="市民上报")
        if channel == "petition":
            return petition.build(self.ctx, appeal, at, repeat=repeat)
        return builders[channel](self.ctx, appeal, at)

    def _person(self, incident: Incident) -> Person:
        if self.recent_people and self.rng.random() < PERSON_REUSE_P:
            self.stats["people_reused"] += 1
            return one(self.rng, self.recent_people)
        person = make_person(self.rng, self.ctx.district.code, incident.street)
        self.recent_people.append(person)
        return person

    def _opinion_cascade(self, incident: Incident, size: int) -> Iterator[SourceRecord]:
        ctx = self.ctx
        appeal = Appeal(ctx.ids.appeal_id(), incident, None, "投诉", incident.start_ms + ctx.minutes(5, 300))
        self.stats["appeals"] += 1
        self.stats["opinion_posts"] += 1
        original = opinion.build(ctx, appeal, appeal.at_ms)
        yield original
        n_reposts = min(int(self.rng.paretovariate(1.1)) - 1 + size // 10, 80)
        posts = [original]
        for _ in range(n_reposts):
            parent = one(self.rng, posts)
            repost = opinion.build(ctx, appeal, parent.created_ms + ctx.minutes(1, 240), repost_of=parent)
            posts.append(repost)
            self.stats["opinion_reposts"] += 1
            yield repost
