"""The leaders' report: one self-contained HTML page (inline SVG, no network) built from the published mart.

`build_report(locations)` reads `published/zhihui.duckdb` and writes `published/report.html`
atomically (a temporary file renamed over the old one), so a browser never loads half a page.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from warehouse.report.page import render_page
from warehouse.report.queries import load_report_data
from warehouse.settings import Locations

REPORT_NAME = "report.html"


def build_report(locations: Locations) -> Path:
    html = render_page(load_report_data(locations.published_path))
    final = locations.published_dir / REPORT_NAME
    temporary = locations.published_dir / f".{REPORT_NAME}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return final
