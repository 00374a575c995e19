"""Each channel's record identifiers, minted in creation order."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict

from simulator.clock import fmt_local

SNOWFLAKE_EPOCH_MS = 1288834974657  # Twitter's epoch: ids land in 19 digits, far above 2**53


class IdMint:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._per_day: dict[tuple[str, str], int] = defaultdict(int)
        self._msg_id = 3_100_000
        self._post_seq = 0
        self._counter = 0

    def _next(self, prefix: str, at_ms: int) -> tuple[str, int]:
        day = fmt_local(at_ms, "%Y%m%d")
        key = (prefix, day)
        self._per_day[key] += 1
        return day, self._per_day[key]

    def forget_before(self, day: str) -> None:
        """Drop day counters no longer needed, keeping memory flat over long runs."""
        for key in [k for k in self._per_day if k[1] < day]:
            del self._per_day[key]

    def order_no(self, at_ms: int) -> str:
        day, n = self._next("RX", at_ms)
        return f"RX{day}{n:06d}"

    def case_id(self, at_ms: int) -> str:
        day, n = self._next("CG", at_ms)
        return f"CG{day}{n:06d}"

    def petition_id(self, at_ms: int, district_code: str) -> str:
        day, n = self._next("XF", at_ms)
        return f"XF{district_code}{day}{n:05d}"

    def suggestion_id(self, at_ms: int) -> str:
        day, n = self._next("JY", at_ms)
        return f"JY{day}{n:05d}"

    def msg_id(self) -> int:
        self._msg_id += 1 + int(self._rng.random() * 3)
        return self._msg_id

    def post_id(self, at_ms: int) -> str:
        self._post_seq = (self._post_seq + 1) & 0x3FFFFF
        return str(((at_ms - SNOWFLAKE_EPOCH_MS) << 22) | self._post_seq)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def appeal_id(self) -> str:
        self._counter += 1
        return f"AP{self._counter:09d}"

    def incident_id(self) -> str:
        self._counter += 1
        return f"IN{self._counter:09d}"
