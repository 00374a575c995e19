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


_DAY_TEXT: dict[tuple[int, str], str] = {}
_SPLIT: dict[str, tuple[str, str]] = {}


def fmt_local(ms: int, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    """Local time text; the date part is cached per day (the generator formats millions of times)."""
    day, second = divmod(ms // 1000 + LOCAL_OFFSET_S, 86400)
    split = _SPLIT.get(pattern)
    if split is None:
        date_pattern, hour_mark, rest = pattern.partition("%H")
        split = _SPLIT[pattern] = (date_pattern, hour_mark + rest)
    date_pattern, time_pattern = split
    prefix = _DAY_TEXT.get((day, date_pattern))
    if prefix is None:
        if len(_DAY_TEXT) > 4096:
            _DAY_TEXT.clear()
        prefix = _DAY_TEXT[(day, date_pattern)] = time.strftime(date_pattern, time.gmtime(day * 86400))
    if not time_pattern:
        return prefix
    hour, rest = divmod(second, 3600)
    minute, sec = divmod(rest, 60)
    if time_pattern == "%H:%M:%S":
        return f"{prefix}{hour:02d}:{minute:02d}:{sec:02d}"
    if time_pattern == "%H:%M":
        return f"{prefix}{hour:02d}:{minute:02d}"
    return prefix + time_pattern.replace("%H", f"{hour:02d}").replace("%M", f"{minute:02d}").replace("%S", f"{sec:02d}")


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
    """The simulated 'now' that every server reads; moved by Simulation.set_clock."""

    def __init__(self, now_ms: int) -> None:
        self._now_ms = now_ms
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        with self._lock:
            return self._now_ms

    def set_ms(self, now_ms: int) -> None:
        with self._lock:
            self._now_ms = now_ms
