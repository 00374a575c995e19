"""问政江西 server (feeds/wenzheng.md): messages by post date, newest first, page numbers,
5 requests a second (429 + Retry-After: 1 beyond), errors as `result: error` with HTTP 200.

Newest first means a message posted while a client pages (the clock moved) pushes older ones
down, so page N+1 repeats the tail of page N; a reply changes `updateTime` without moving it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from datetime import date, timedelta

from simulator.clock import DAY_MS, SimClock, day_start_ms
from simulator.feeds.http import Request, Response, json_response
from simulator.feeds.paging import BucketCounts, PageStarts
from simulator.store import StoreReader

REQUESTS_PER_SECOND = 5
# newest first, msgId descending within the same moment: the order of records_wenzheng_order, backwards
IN_DATES = (
    "from records indexed by records_wenzheng_order"
    " where channel = 'wenzheng' and served_from_ms <= :now and sort_key >= :lower and sort_key < :upper"
)
NEWEST_FIRST = " order by sort_key desc, cast(record_id as integer) desc limit :size offset :skip"
BEFORE = " and (sort_key, cast(record_id as integer)) < (:key, :number)"


def error(message: str) -> Response:
    return json_response(200, {"result": "error", "message": message})


class WenzhengApp:
    channel = "wenzheng"

    def __init__(self, store: StoreReader, clock: SimClock) -> None:
        self.store, self.clock = store, clock
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()
        self._totals = BucketCounts(
            store,
            "select count(*) " + IN_DATES,
            "select (sort_key - :origin) / :width, count(*) " + IN_DATES + " group by 1",
            width=DAY_MS,
            origin=day_start_ms(date(1970, 1, 1)),
        )
        self._starts = PageStarts()

    def _over_rate(self) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= REQUESTS_PER_SECOND:
                return True
            self._recent.append(now)
            return False

    def handle(self, request: Request) -> Response:
        if self._over_rate():
            return json_response(429, {"result": "error", "message": "访问过于频繁"}, **{"Retry-After": "1"})
        if request.path != "/api/messages" or request.method != "GET":
            return json_response(404, {"result": "error", "message": "接口不存在"})
        if request.fault == "sys_busy":
            return error("系统繁忙")
        p = request.params
        try:
            begin, end = date.fromisoformat(p["begin"]), date.fromisoformat(p["end"])
            page, size = int(p.get("page") or 1), int(p.get("size") or 20)
        except (KeyError, ValueError):
            return error("参数错误：begin/end 须为 YYYY-MM-DD")
        if begin > end or page < 1 or not 1 <= size <= 50:
            return error("参数错误：begin 不能晚于 end，page 从 1 开始，size 不超过 50")
        now = self.clock.now_ms()
        lower, upper = day_start_ms(begin), day_start_ms(end + timedelta(days=1))
        total = self._totals.count(lower, upper, now)
        rows = self._rows((lower, upper, now), (page - 1) * size, size)
        messages = [StoreReader.decode(base, patches, now) for _, _, base, patches in rows]
        return json_response(
            200, {"result": "ok", "page": page, "pages": math.ceil(total / size), "total": total, "list": messages}
        )

    def _rows(self, listing: tuple[int, int, int], offset: int, size: int) -> list[tuple]:
        """The page at `offset`: a seek from the nearest page start already served at this clock."""
        lower, upper, now = listing
        known, before = self._starts.nearest(listing, offset)
        params = {"now": now, "lower": lower, "upper": upper, "size": size, "skip": offset - known}
        if before:  # the seek is also the scan's start: beside the window's end, SQLite would start there
            params["key"], params["number"] = before
            params["upper"] = min(upper, before[0] + 1)
        rows = self.store.rows(
            "select sort_key, cast(record_id as integer), base, patches "
            + IN_DATES
            + (BEFORE if before else "")
            + NEWEST_FIRST,
            params,
        )
        if rows:
            self._starts.remember(listing, offset + len(rows), (rows[-1][0], rows[-1][1]))
        return rows
