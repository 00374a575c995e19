"""wenji: 问计江西 suggestions, one CSV export per day (feeds/wenji.md).

UTF-8 with a BOM, RFC 4180 quoting, an exact header. A 404 means the export is not there yet:
not an error; the date is kept in the cursor and asked for again by later runs. An export can
be regenerated: every download lands as a new version (landing drops identical payloads).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import orjson
import requests

from connectors.core.batch import Batch, BatchBuilder, utc_stamp
from connectors.core.channel import Connector, Setting
from connectors.core.errors import FeedError
from connectors.core.http import FeedSession
from connectors.core.window import DateWindow

HEADER = ("建议编号", "提交时间", "标题", "建议内容", "所属领域", "手机号码", "采纳状态", "回复内容")
# A date still missing this long after the window's end is given up (and said so in a note).
MISSING_KEPT = timedelta(days=60)


class WenjiConnector(Connector):
    key: ClassVar[str] = "wenji"
    title: ClassVar[str] = "问计江西"
    windowed: ClassVar[bool] = True
    # How far back a run re-checks exports for regenerations (orchestration extends the window).
    lookback_days: ClassVar[int] = 7
    settings: ClassVar[tuple[Setting, ...]] = (Setting("WENJI_BASE_URL", "http://127.0.0.1:18106"),)
    # the header's columns (an export with another header is quarantined whole) and the export date
    expected_fields: ClassVar[frozenset[str]] = frozenset({*HEADER, "_export_date"})

    def fetch_pages(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        if window is None:
            raise ValueError("wenji is pulled by window")
        url = f"{self.base_url('WENJI_BASE_URL')}/export/suggestions.csv"
        http = FeedSession(self.key, "WENJI_BASE_URL", self.policy)
        oldest_kept = window.end - MISSING_KEPT
        missing = {date.fromisoformat(day) for day in (cursor or {}).get("missing", [])}
        given_up = sorted(day for day in missing if day < oldest_kept)
        missing -= set(given_up)
        try:
            for day in sorted(missing | set(window.days())):
                response = http.get(url, params={"date": day.isoformat()}, check=self._check)
                fetched_at = datetime.now(UTC)
                if response.status_code == 404:
                    missing.add(day)
                    builder, note = BatchBuilder(), f"export for {day} not available yet: asked again next run"
                else:
                    missing.discard(day)
                    builder, note = parse_export(response.content, day, fetched_at), None
                if given_up:
                    gave_up = f"gave up waiting for the exports of {', '.join(map(str, given_up))}"
                    note, given_up = "; ".join(filter(None, (note, gave_up))), []
                cursor_after = {"missing": sorted(d.isoformat() for d in missing)}
                yield builder.build(cursor=cursor_after, note=note, fetched_at=fetched_at)
        finally:
            http.close()

    def _check(self, response: requests.Response) -> None:
        if response.status_code not in (200, 404):
            raise FeedError(self.key, f"unexpected HTTP {response.status_code}: {response.text[:200]}")


def parse_export(body: bytes, day: date, fetched_at: datetime) -> BatchBuilder:
    """One record per row; a different header quarantines the whole export (it cannot be read safely)."""
    builder = BatchBuilder()
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        builder.quarantine(body, f"export for {day} is not UTF-8: {exc}")
        return builder
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        if header is None:
            return builder
        if tuple(header) != HEADER:
            builder.quarantine(body, f"export for {day} has header {header!r}, expected {list(HEADER)!r}")
            return builder
        version = utc_stamp(fetched_at)
        for row in rows:
            _add_row(builder, row, day, version)
    except csv.Error as exc:
        builder = BatchBuilder()
        builder.quarantine(body, f"export for {day} is not valid RFC 4180 CSV: {exc}")
    return builder


def _add_row(builder: BatchBuilder, row: list[str], day: date, version: str) -> None:
    if not row:
        return
    if len(row) != len(HEADER) or not row[0]:
        raw = io.StringIO()
        csv.writer(raw).writerow(row)  # the row as CSV again: its exact bytes are gone once parsed
        reason = f"row of {len(row)} fields (expected {len(HEADER)}) or without 建议编号"
        builder.quarantine(raw.getvalue(), reason, row[0] or None)
        return
    record = dict(zip(HEADER, row, strict=True))
    record["_export_date"] = day.isoformat()
    builder.add(row[0], version, orjson.dumps(record))
