"""The SVG chart functions: marks for data, nothing for no data, text escaped."""

from __future__ import annotations

from xml.etree import ElementTree

from warehouse.report.charts import bar_chart, line_chart, stacked_bar_chart


def _marks(svg: str) -> int:
    root = ElementTree.fromstring(svg)  # well-formed XML, or this raises
    return sum(1 for element in root.iter() if element.get("class") == "mark")


def test_a_line_chart_draws_a_point_per_known_value_and_breaks_at_gaps():
    svg = line_chart(["6/1", "6/2", "6/3"], {"响应率": [0.9, None, 0.8], "办结率": [0.5, 0.6, 0.7]}, "走势")
    assert _marks(svg) == 5
    assert svg.count("<polyline") == 1  # 响应率 has no two neighbouring points


def test_a_bar_chart_draws_a_bar_per_item_and_escapes_labels():
    svg = bar_chart([("A&B<街道>", 3), ("南浦街道", 0)], "街道")
    assert _marks(svg) == 2
    assert "A&amp;B&lt;街道&gt;" in svg


def test_a_stacked_bar_chart_draws_a_segment_per_nonzero_value():
    svg = stacked_bar_chart(["6/1", "6/2"], {"12345热线": [3, 0], "掌上城管": [1, 2]}, "渠道")
    assert _marks(svg) == 3


def test_charts_with_nothing_to_draw_are_empty():
    assert line_chart([], {}, "x") == ""
    assert line_chart(["6/1"], {"响应率": [None]}, "x") == ""
    assert bar_chart([], "x") == ""
    assert stacked_bar_chart(["6/1"], {"hotline": [0]}, "x") == ""
