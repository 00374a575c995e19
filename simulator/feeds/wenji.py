"""问计江西 server (feeds/wenji.md): one CSV per day, UTF-8 with BOM, RFC 4180 quoting, available
from 01:00 the next day; downloaded again later it is regenerated with the current statuses."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from simulator.clock import HOUR_MS, SimClock, day_start_ms
from simulator.feeds.http import Request, Response, json_response
from simulator.store import StoreReader

HEADER = ("建议编号", "提交时间", "标题", "建议内容", "所属领域", "手机号码", "采纳状态", "回复内容")


class WenjiApp:
    channel = "wenji"

    def __init__(self, store: StoreReader, clock: SimClock) -> None:
        self.store, self.clock = store, clock

    def handle(self, request: Request) -> Response:
        if request.path != "/export/suggestions.csv" or request.method != "GET":
            return Response(404, b"not found", "text/plain; charset=utf-8")
        try:
            day = date.fromisoformat(request.params["date"])
        except (KeyError, ValueError):
            return json_response(400, {"error": "date must be YYYY-MM-DD"})
        now = self.clock.now_ms()
        next_day = day_start_ms(day + timedelta(days=1))
        if now < next_day + HOUR_MS:
            return Response(404, "导出文件尚未生成".encode(), "text/plain; charset=utf-8")
        rows = self.store.rows(
            "select base, patches from records where channel = 'wenji' and sort_key >= ? and sort_key < ?"
            " order by sort_key, record_id",
            (day_start_ms(day), next_day),
        )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for base, patches in rows:
            suggestion = StoreReader.decode(base, patches, now)
            writer.writerow([suggestion[column] for column in HEADER])
        return Response(200, b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")
