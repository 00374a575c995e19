"""Kinds of real-world problem, and how each channel's own vocabulary files them.

One kind is one real problem ("a water main burst"). Each channel files it under its own
taxonomy; keeping all of a kind's labels on one row keeps the channel -> unified relation
consistent, so a mapping learned from the data holds. The vendor vocabularies are listed in
docs/simulator.md; the unified labels never leave the simulator except through truth-free tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.world.kinds_catalog import CATALOG


@dataclass(frozen=True)
class EventClass:
    big_code: str
    big_name: str
    small_code: str
    small_name: str


@dataclass(frozen=True)
class ProblemKind:
    key: str
    unified: tuple[str, str, str]  # taxonomy/categories.csv levels 1-3
    hotline_path: str  # 3-level 12345 path
    event_class: EventClass | None  # city_mgmt; None when 城管 does not take it
    petition_class: str  # 大类-小类
    wenji_field: str  # 所属领域
    unit: str  # handling unit
    appeal_types: tuple[str, ...]  # hotline 诉求类型, most likely first
    weight: float  # relative frequency
    problems: tuple[str, ...]  # core statements; {place} is the spot
    details: tuple[str, ...]
    demands: tuple[str, ...]
    keywords: tuple[str, ...]  # opinion vendor keywords

    @property
    def is_spatial(self) -> bool:
        """A problem at a spot in the street (many people see it), not a private matter."""
        return self.event_class is not None


def _event_class(spec: str | None) -> EventClass | None:
    if spec is None:
        return None
    big, small = spec.split("/")
    big_code, big_name = big.split(":")
    small_code, small_name = small.split(":")
    return EventClass(big_code, big_name, small_code, small_name)


def _build() -> tuple[ProblemKind, ...]:
    kinds = []
    for row in CATALOG:
        kinds.append(
            ProblemKind(
                key=row["key"],
                unified=tuple(row["unified"].split("/")),
                hotline_path=row["hotline"],
                event_class=_event_class(row.get("city_mgmt")),
                petition_class=row["petition"],
                wenji_field=row["wenji"],
                unit=row["unit"],
                appeal_types=tuple(row["types"].split()),
                weight=row["weight"],
                problems=tuple(row["problems"]),
                details=tuple(row["details"]),
                demands=tuple(row["demands"]),
                keywords=tuple(row["keywords"].split()),
            )
        )
    return tuple(kinds)


KINDS: tuple[ProblemKind, ...] = _build()
SPATIAL_KINDS: tuple[ProblemKind, ...] = tuple(k for k in KINDS if k.is_spatial)
