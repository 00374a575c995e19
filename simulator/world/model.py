"""What the generator makes: incidents, appeals, and the channel records that carry them."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.world.kinds import ProblemKind
from simulator.world.persons import Person
from simulator.world.region import Community, Street


@dataclass(slots=True)
class Incident:
    """A real-world event; several people may appeal about it."""

    incident_id: str
    kind: ProblemKind
    street: Street
    community: Community
    road: str
    spot: str  # where exactly, e.g. 洪都中大道128号附近
    lat: float  # WGS-84
    lng: float
    start_ms: int


@dataclass(slots=True)
class Appeal:
    """One person's one appeal (or one patrol/camera finding, or one opinion post and its reposts)."""

    appeal_id: str
    incident: Incident
    person: Person | None
    appeal_type: str
    at_ms: int


@dataclass(slots=True)
class SourceRecord:
    """One record of one channel with its whole future: a base version and timed patches.

    `created_ms` is when the base version came to be; `served_from_ms` when a feed first shows
    the record (a petition waits for its export file, a wenji suggestion for its daily export).
    Patches are (time, changed fields); the record as of T is the base with patches up to T.
    """

    channel: str
    record_id: str
    appeal_id: str
    incident_id: str
    created_ms: int
    served_from_ms: int
    sort_key: int
    base: dict
    patches: list[tuple[int, dict]] = field(default_factory=list)

    def patch(self, at_ms: int, **changes: object) -> None:
        self.patches.append((at_ms, changes))

    def version_times(self) -> list[int]:
        return [self.created_ms, *(t for t, _ in self.patches)]

    def last_ms(self) -> int:
        return self.patches[-1][0] if self.patches else self.created_ms
