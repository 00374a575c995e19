"""The 问计江西 export as a vendor conformance suite would check it (feeds/wenji.md)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import requests

from tests.simulator.helpers import truth_ids

HEADER = "建议编号,提交时间,标题,建议内容,所属领域,手机号码,采纳状态,回复内容"
FIELDS = {"城市建设", "生态环境", "交通出行", "教育文化", "就业社保", "营商环境", "医疗卫生", "其他"}


def export(sim, day: str) -> requests.Response:
    return requests.get(f"{sim.env['WENJI_BASE_URL']}/export/suggestions.csv", params={"date": day}, timeout=10)


def rows_of(response: requests.Response) -> list[dict]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content[3:].decode("utf-8")
    assert text.split("\r\n", 1)[0] == HEADER
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_every_day_exports_utf8_bom_csv_with_rfc4180_quoting(sim):
    ids = set()
    for day in ("2025-06-01", "2025-06-02", "2025-06-03"):
        response = export(sim, day)
        assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
        rows = rows_of(response)
        ids |= {row["建议编号"] for row in rows}
        assert all(row["所属领域"] in FIELDS for row in rows)
        assert all(row["采纳状态"] in {"待处理", "已采纳", "部分采纳", "未采纳"} for row in rows)
    assert ids == truth_ids(sim, "wenji")
    assert any("\n" in row["建议内容"] for row in rows)


def test_a_day_is_404_until_01_00_the_next_day(sim, clock_at):
    tz = sim.clock.tzinfo
    with clock_at(datetime(2025, 6, 3, 0, 59, tzinfo=tz)):
        assert export(sim, "2025-06-02").status_code == 404
        assert export(sim, "2025-06-01").status_code == 200
    assert export(sim, "2025-06-09").status_code == 404
    assert export(sim, "June").status_code == 400


def test_a_later_download_is_regenerated_with_current_statuses(sim, clock_at):
    now = export(sim, "2025-06-01").content
    with clock_at(sim.clock + timedelta(days=20)):
        later = export(sim, "2025-06-01").content
    assert later != now
    assert {r["建议编号"] for r in rows_of_bytes(later)} == {r["建议编号"] for r in rows_of_bytes(now)}


def rows_of_bytes(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
