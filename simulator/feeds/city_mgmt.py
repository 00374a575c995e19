"""数字化城管 server (feeds/city_mgmt.md): API key header, `lastModified` windows of at most 24 h,
offset pagination over (lastModified, caseId), failures as `success: false` with HTTP 200.

A case modified while a client pages moves to the end of the order (its current version now has
a later lastModified), which is exactly the drift the contract warns about: move the clock
between two pages and a plain offset walk skips one row and repeats another.
"""

from __future__ import annotations

from simulator.clock import SimClock
from simulator.feeds.http import Request, Response, json_response
from simulator.feeds.paging import PageStarts, current_version_counts
from simulator.store import StoreReader

MAX_WINDOW_MS = 24 * 3_600_000
CURRENT_IN_WINDOW = """
    from versions v join records r on r.channel = v.channel and r.record_id = v.record_id
    where v.channel = 'city_mgmt' and v.valid_from_ms >= ? and v.valid_from_ms < ?
      and v.valid_from_ms <= ? and v.valid_until_ms > ?"""


def failure(code: str, message: str, status: int = 200) -> Response:
    return json_response(status, {"success": False, "errorCode": code, "message": message})


class CityMgmtApp:
    channel = "city_mgmt"

    def __init__(self, store: StoreReader, clock: SimClock, api_key: str) -> None:
        self.store, self.clock, self.api_key = store, clock, api_key
        self._totals = current_version_counts(store, self.channel)
        self._starts = PageStarts()

    def handle(self, request: Request) -> Response:
        if request.path != "/openapi/cases" or request.method != "GET":
            return failure("NOT_FOUND", "接口不存在", 404)
        if request.headers.get("x-api-key") != self.api_key:
            return failure("AUTH_FAILED", "API Key 无效或缺失", 403)
        if request.fault == "sys_busy":
            return failure("SYS_BUSY", "系统繁忙")
        p = request.params
        try:
            start, end = int(p["startTime"]), int(p["endTime"])
            offset, limit = int(p.get("offset") or 0), int(p.get("limit") or 50)
        except (KeyError, ValueError):
            return failure("PARAM_INVALID", "startTime/endTime 必填且为毫秒时间戳")
        if not start < end or end - start > MAX_WINDOW_MS:
            return failure("PARAM_INVALID", "时间窗口须大于0且不超过24小时")
        if not 1 <= limit <= 200 or offset < 0:
            return failure("PARAM_INVALID", "limit 取值 1-200，offset 不能为负")
        now = self.clock.now_ms()
        total = self._totals.count(start, end, now)
        rows = self._rows((start, end, now), offset, limit)
        cases = [StoreReader.decode(base, patches, now) for _, _, base, patches in rows]
        return json_response(200, {"success": True, "total": total, "rows": cases})

    def _rows(self, listing: tuple[int, int, int], offset: int, limit: int) -> list[tuple]:
        """The page at `offset` of the listing's current order: a seek from the nearest page start
        already served at this clock, then what is left of the offset (exactly the offset walk).
        The seek is also the scan's lower bound: beside the window's, SQLite would start there."""
        start, end, now = listing
        known, after = self._starts.nearest(listing, offset)
        select = "select v.valid_from_ms, v.record_id, r.base, r.patches" + CURRENT_IN_WINDOW
        seek = " and (v.valid_from_ms, v.record_id) > (?, ?)" if after else ""
        rows = self.store.rows(
            select + seek + " order by v.valid_from_ms, v.record_id limit ? offset ?",
            (max(start, after[0]) if after else start, end, now, now, *(after or ()), limit, offset - known),
        )
        if rows:
            self._starts.remember(listing, offset + len(rows), (rows[-1][0], rows[-1][1]))
        return rows
