"""What every record builder draws on: the generation random stream, the id mint, the district."""

from __future__ import annotations

import random
from dataclasses import dataclass

from simulator import text
from simulator.clock import HOUR_MS, MINUTE_MS
from simulator.world.draw import Weighted
from simulator.world.ids import IdMint
from simulator.world.model import Appeal
from simulator.world.region import District


@dataclass
class BuildContext:
    rng: random.Random
    ids: IdMint
    district: District

    def minutes(self, low: float, high: float) -> int:
        return int((low + (high - low) * self.rng.random()) * MINUTE_MS)  # rng.uniform, one call less

    def hours(self, low: float, high: float) -> int:
        return int((low + (high - low) * self.rng.random()) * HOUR_MS)

    def place(self, appeal: Appeal) -> str:
        incident = appeal.incident
        return text.place_phrase(self.rng, incident.street.name, incident.community.name, incident.spot, incident.road)

    def pick(self, weighted: dict[str, float]) -> str:
        key = tuple(weighted.items())
        chooser = _WEIGHTED.get(key)
        if chooser is None:
            chooser = _WEIGHTED[key] = Weighted(weighted)
        return chooser.draw(self.rng)


_WEIGHTED: dict[tuple, Weighted] = {}
