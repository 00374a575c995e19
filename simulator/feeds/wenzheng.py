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

from simulator.clock import SimClock, day_start_ms
from simulator.feeds.http import Request, Response, json_response
from simulator.store import StoreReader

REQUESTS_PER_SECOND = 5
IN_DATES = "from records where channel = 'wenzheng' and served_from_ms <= ? and sort_key >= ? and sort_key < ?"


def error(message: str) -> Response:
    return json_response(200, {"result": "error", "message": message})


class WenzhengApp:
    channel = "wenzheng"

    def __init__(self, store: StoreReader, clock: SimClock) -> None:
        self.store, self.clock = store, clock
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()

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
        span = (now, day_start_ms(begin), day_start_ms(end + timedelta(days=1)))
        total = self.store.one("select count(*) " + IN_DATES, span)[0]
        rows = self.store.rows(
            "select base, patches "
            + IN_DATES
            + " order by sort_key desc, cast(record_id as integer) desc limit ? offset ?",
            (*span, size, (page - 1) * size),
        )
        messages = [StoreReader.decode(base, patches, now) for base, patches in rows]
        return json_response(
            200, {"result": "ok", "page": page, "pages": math.ceil(total / size), "total": total, "list": messages}
        )
