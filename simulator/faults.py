"""Fault injection: what every feed may do to a client, off by default, deterministic per seed.

Each feed draws from its own random stream (seed + feed key), once per request, in request
order; the same request (path and query) is never faulted more than `max_consecutive` times
in a row, so a client that retries always gets through.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

HTTP_KINDS = frozenset({"http_500", "http_502", "http_503", "http_429", "stall", "cut"})
FEED_KINDS = {  # faults that only make sense for one feed
    "hotline": frozenset({"token_expired", "hotline_42901", "hotline_50001"}),
    "city_mgmt": frozenset({"sys_busy"}),
    "wenzheng": frozenset({"sys_busy"}),
    "opinion": frozenset({"truncated_line"}),
    "minsheng": frozenset({"sync_token_expired"}),
    "petition": frozenset({"md5_mismatch"}),
}
# Faults that lose data by design (the client must quarantine it): only when named in `kinds`.
OPT_IN_KINDS = {
    "petition": frozenset({"dtd_entity"}),
}
ALL_KINDS = HTTP_KINDS.union(*FEED_KINDS.values(), *OPT_IN_KINDS.values())


@dataclass(frozen=True)
class FaultPlan:
    rate: float = 0.0
    kinds: frozenset[str] | set[str] | None = None  # None: every kind
    feeds: frozenset[str] | set[str] | None = None  # None: every feed
    stall_seconds: float = 35.0
    max_consecutive: int = 2
    retry_after_seconds: int = 1

    def __post_init__(self) -> None:
        unknown = set(self.kinds or ()) - ALL_KINDS
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}; known: {sorted(ALL_KINDS)}")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("fault rate must be within [0, 1]")

    @classmethod
    def none(cls) -> FaultPlan:
        return cls()

    def kinds_for(self, feed: str) -> list[str]:
        if self.rate <= 0 or (self.feeds is not None and feed not in self.feeds):
            return []
        possible = (HTTP_KINDS if feed != "petition" else frozenset()) | FEED_KINDS.get(feed, frozenset())
        if self.kinds is None:
            return sorted(possible)
        return sorted((possible | OPT_IN_KINDS.get(feed, frozenset())) & set(self.kinds))


@dataclass
class FaultInjector:
    """One feed's fault stream."""

    plan: FaultPlan
    feed: str
    seed: int
    _rng: random.Random = field(init=False)
    _kinds: list[str] = field(init=False)
    _streak: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(f"{self.seed}:{self.feed}")
        self._kinds = self.plan.kinds_for(self.feed)

    @property
    def enabled(self) -> bool:
        return bool(self._kinds)

    def draw(self, request_key: str, only: Iterable[str] | None = None) -> str | None:
        """The fault to inflict on this request, or None."""
        if not self._kinds:
            return None
        kinds = self._kinds if only is None else [k for k in self._kinds if k in set(only)]
        with self._lock:
            hit = self._rng.random() < self.plan.rate
            kind = self._rng.choice(kinds) if kinds else None
            if not hit or kind is None or self._streak.get(request_key, 0) >= self.plan.max_consecutive:
                self._streak.pop(request_key, None)
                return None
            self._streak[request_key] = self._streak.get(request_key, 0) + 1
            return kind

    def chance(self) -> random.Random:
        """The feed's stream, for choosing details of a fault (which line to truncate…)."""
        return self._rng
