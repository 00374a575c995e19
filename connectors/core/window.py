"""Date windows: what a windowed feed is asked for, in local (Asia/Shanghai) days."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class DateWindow:
    """Local calendar days `start`..`end`, both inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), LOCAL_TZ)

    @property
    def end_before(self) -> datetime:
        """The half-open upper bound: midnight after the last day."""
        return datetime.combine(self.end + timedelta(days=1), time(0), LOCAL_TZ)

    def days(self) -> Iterator[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)

    def extended_back(self, days: int) -> DateWindow:
        return DateWindow(self.start - timedelta(days=days), self.end)

    def chunks(self, span: timedelta) -> Iterator[tuple[datetime, datetime]]:
        """Consecutive half-open [from, to) spans of at most `span` covering the window."""
        lower = self.start_at
        while lower < self.end_before:
            upper = min(lower + span, self.end_before)
            yield lower, upper
            lower = upper

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}
