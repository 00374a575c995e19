"""The district register (a copy of reference/regions.csv shipped as package data)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Community:
    code: str  # 12 digits, city_mgmt's gridCode
    name: str


@dataclass(frozen=True)
class Street:
    code: str
    name: str
    lat: float  # centre point, WGS-84
    lng: float
    roads: tuple[str, ...]
    communities: tuple[Community, ...]


@dataclass(frozen=True)
class District:
    code: str
    name: str
    city: str
    streets: tuple[Street, ...]


@cache
def load_district() -> District:
    text = resources.files("simulator").joinpath("data/regions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    by_street: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_street.setdefault(row["street_code"], []).append(row)
    streets = tuple(
        Street(
            code=code,
            name=group[0]["street"],
            lat=float(group[0]["street_lat"]),
            lng=float(group[0]["street_lng"]),
            roads=tuple(group[0]["street_roads"].split("|")),
            communities=tuple(Community(r["community_code"], r["community"]) for r in group),
        )
        for code, group in by_street.items()
    )
    return District(code=rows[0]["district_code"], name=rows[0]["district"], city="南昌市", streets=streets)
