"""The leaders' report: built with every publish, self-contained, every chart rendered in a real browser."""

from __future__ import annotations

import re
import shutil
from datetime import date

import duckdb
import pytest

from tests.bi.browser import dump_dom, find_chromium, screenshot
from tests.bi.sample_mart import write_sample_mart
from warehouse.publish import publish_mart
from warehouse.report import build_report, queries
from warehouse.report.queries import load_report_data
from warehouse.settings import Locations

SECTIONS = ("headline", "trend", "streets", "units", "categories", "incidents", "alerts", "channels")


def _check_in_chromium(report, tmp_path) -> str:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no chromium on PATH: install Debian's `chromium` package to render the report")
    dom = dump_dom(chromium, report, tmp_path / "profile")
    assert "data-script-errors=" not in dom
    charts = re.findall(r"<figure data-chart=\"(\w+)\"([^>]*)>", dom)
    drawn = [name for name, attributes in charts if "data-empty" not in attributes]
    assert drawn, "no chart with data"
    assert all('data-rendered="yes"' in attributes for _, attributes in charts if "data-empty" not in attributes)
    assert f'data-charts-rendered="{len(drawn)}/{len(drawn)}"' in dom
    image = screenshot(chromium, report, tmp_path / "profile", tmp_path / "report.png")
    assert image.stat().st_size > 50_000
    return dom


def _check_self_contained(html: str) -> None:
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the report must not load anything from the network"
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    for label in ("响应率", "解决率", "满意率", "办结率", "未诉先办", "运行编号"):
        assert label in html


@pytest.mark.slow
def test_the_report_of_a_real_run_renders_every_chart_in_chromium(pipeline_published, tmp_path):
    locations = pipeline_published.locations
    report = locations.published_dir / "report.html"
    html = report.read_text(encoding="utf-8")
    _check_self_contained(html)
    with duckdb.connect(str(locations.published_path), read_only=True) as con:
        run_id = con.execute("select run_id from mart.publication").fetchone()[0]
    assert run_id in html
    dom = _check_in_chromium(report, tmp_path)
    for chart in ("rates_by_day", "streets_received", "top_categories", "records_by_channel"):
        assert f'data-chart="{chart}" data-rendered="yes"' in dom
    shutil.copy(tmp_path / "report.png", locations.home / "report.png")  # to look at


def test_the_report_of_a_sample_mart_renders_every_chart_in_chromium(sample_published, tmp_path):
    report = sample_published.published_dir / "report.html"
    _check_self_contained(report.read_text(encoding="utf-8"))
    dom = _check_in_chromium(report, tmp_path)
    assert dom.count('data-rendered="yes"') >= 6


def test_a_mart_with_empty_tables_still_gets_a_report_saying_so(tmp_path):
    locations = Locations(tmp_path / "home").ensure()
    write_sample_mart(locations, seed=1, size=0)
    publication = publish_mart(locations, run_id="empty-run")
    html = publication.report.read_text(encoding="utf-8")
    assert "暂无数据" in html and "empty-run" in html
    assert 'data-empty="true"' in html


def test_a_mart_missing_tables_gets_a_report_of_what_is_there(tmp_path):
    locations = Locations(tmp_path / "home").ensure()
    write_sample_mart(locations, seed=2, size=50)
    with duckdb.connect(str(locations.warehouse_path)) as con:
        con.execute("drop table mart.risk_alert; drop table mart.fct_incident")
    publication = publish_mart(locations, run_id="partial-run")
    assert publication.report is not None
    assert 'data-chart="rates_by_day"><figcaption>' in publication.report.read_text(encoding="utf-8")


def test_text_from_the_mart_is_escaped_in_the_report(tmp_path):
    locations = Locations(tmp_path / "home").ensure()
    write_sample_mart(locations, seed=3, size=40)
    with duckdb.connect(str(locations.warehouse_path)) as con:
        con.execute("update mart.fct_complaint set title = '<script>alert(1)</script>', street = 'A&B<街道>'")
    publish_mart(locations, run_id="<b>run</b>")
    html = build_report(locations).read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "A&amp;B&lt;街道&gt;" in html and "&lt;b&gt;run&lt;/b&gt;" in html


def test_the_browser_check_catches_a_script_error(sample_published, tmp_path):
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no chromium on PATH: install Debian's `chromium` package to render the report")
    broken = tmp_path / "broken.html"
    html = (sample_published.published_dir / "report.html").read_text(encoding="utf-8")
    broken.write_text(html.replace("</body>", "<script>notAFunction();</script></body>"), encoding="utf-8")
    assert "data-script-errors=" in dump_dom(chromium, broken, tmp_path / "profile")


def test_the_report_covers_the_last_thirty_days_up_to_the_window_end(tmp_path):
    locations = Locations(tmp_path / "home").ensure()
    write_sample_mart(locations, seed=4, size=300)
    with duckdb.connect(str(locations.warehouse_path)) as con:  # one complaint long before the window
        con.execute(
            "update mart.fct_complaint set received_at = timestamptz '2025-03-01 10:00:00+08' where title = '诉求1'"
        )
    publish_mart(locations, run_id="r", window=("2025-06-01", "2025-06-03"))
    data = load_report_data(locations.published_path)
    assert data.days[0] == date(2025, 6, 1) and data.days[-1] == date(2025, 6, 3)
    assert data.n_complaints < 300


@pytest.mark.slow
def test_the_report_rates_are_kpi_daily_and_agree_with_fct_complaint(pipeline_published, monkeypatch):
    published = pipeline_published.locations.published_path
    from_kpi_daily = load_report_data(published)
    monkeypatch.setattr(queries, "KPI_COUNTS", (*queries.KPI_COUNTS, "absent"))  # forces the derivation
    derived = load_report_data(published)
    assert from_kpi_daily.n_handled == derived.n_handled > 0
    assert from_kpi_daily.rates_overall == pytest.approx(derived.rates_overall)
    assert from_kpi_daily.streets == derived.streets
    with duckdb.connect(str(published), read_only=True) as con:
        n_received = con.execute(
            "select sum(n_received) from mart.kpi_daily where date between ? and ?",
            [derived.days[0], derived.days[-1]],
        ).fetchone()[0]
    assert n_received == from_kpi_daily.n_handled
