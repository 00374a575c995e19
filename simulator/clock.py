"""Simulated time: epoch milliseconds inside, Asia/Shanghai wall time outside."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta, timezone

try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ = ZoneInfo("Asia/Shanghai")
except Exception:  # no tz database on the host: China has had no DST since 1991
    LOCAL_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

LOCAL_OFFSET_S = 8 * 3600
MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000


def day_start_ms(day: date) -> int:
    """Local midnight of `day` as epoch ms."""
    return (day - date(1970, 1, 1)).days * DAY_MS - LOCAL_OFFSET_S * 1000


def local_day(ms: int) -> date:
    return date(1970, 1, 1) + timedelta(days=(ms + LOCAL_OFFSET_S * 1000) // DAY_MS)


def local_struct(ms: int) -> time.struct_time:
    return time.gmtime(ms // 1000 + LOCAL_OFFSET_S)


_DAY_TEXT: dict[tuple[int, str], tuple[str, int, str]] = {}
# Every time of day as text, built once: the generator formats millions of times.
_HMS = tuple(f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60))
_HM = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))


def _day_entry(day: int, pattern: str) -> tuple[str, int, str]:
    """(date text, how the time of day is written, text after it) for one day and pattern."""
    if len(_DAY_TEXT) > 4096:
        _DAY_TEXT.clear()
    date_pattern, hour_mark, rest = pattern.partition("%H")
    prefix = time.strftime(date_pattern, time.gmtime(day * 86400))
    time_pattern = hour_mark + rest
    if not time_pattern:
        entry = (prefix, 0, "")
    elif time_pattern.startswith("%H:%M:%S") and "%" not in time_pattern[8:]:
        entry = (prefix, 1, time_pattern[8:])
    elif time_pattern.startswith("%H:%M") and "%" not in time_pattern[5:]:
        entry = (prefix, 2, time_pattern[5:])
    else:
        entry = (prefix, 3, time_pattern)
    _DAY_TEXT[(day, pattern)] = entry
    return entry


def fmt_local(ms: int, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    """Local time text; the date part is cached per day and pattern, the time of day is a lookup."""
    day, second = divmod(ms // 1000 + LOCAL_OFFSET_S, 86400)
    entry = _DAY_TEXT.get((day, pattern))
    if entry is None:
        entry = _day_entry(day, pattern)
    prefix, how, tail = entry
    if how == 1:
        return prefix + _HMS[second] + tail
    if how == 2:
        return prefix + _HM[second // 60] + tail
    if how == 0:
        return prefix
    hour, rest = divmod(second, 3600)
    minute, sec = divmod(rest, 60)
    return prefix + tail.replace("%H", f"{hour:02d}").replace("%M", f"{minute:02d}").replace("%S", f"{sec:02d}")


def fmt_utc_z(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms // 1000))


def to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, LOCAL_TZ)


def from_datetime(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return round(value.timestamp() * 1000)


def parse_local(text: str, pattern: str) -> int:
    """A naive local time string (UTC+8) -> epoch ms; raises ValueError when malformed."""
    naive = datetime.strptime(text, pattern)
    return from_datetime(naive.replace(tzinfo=timezone(timedelta(hours=8))))


class SimClock:
    """The simulated 'now' that every server reads; moved by Simulation.set_clock.

    Every setting is a tick, even to the same moment (what a client did before it is "earlier").
    """

    def __init__(self, now_ms: int) -> None:
        self._now_ms = now_ms
        self._ticks = 0
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        with self._lock:
            return self._now_ms

    def ticks(self) -> int:
        with self._lock:
            return self._ticks

    def set_ms(self, now_ms: int) -> None:
        with self._lock:
            self._now_ms = now_ms
            self._ticks += 1
