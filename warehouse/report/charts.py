"""Charts as inline SVG strings: no script, no network, so the report renders anywhere, offline.

Every function returns one `<svg>` whose data marks carry class `mark` (a test counts them),
or an empty string when there is nothing to draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

PALETTE = ("#1f5fa8", "#d9822b", "#2e9e6b", "#c2413a", "#7b5ea7", "#8c6d31", "#3c9fb8", "#9a9a9a")
FONT = 'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"'


def percent(value: float) -> str:
    return f"{value:.0%}"


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(label)}" {FONT} font-size="12">' + "".join(body) + "</svg>"
    )


def _nice_ceiling(value: float) -> float:
    """The axis top: a round number at or above `value` whose quarters are round too."""
    if value <= 0:
        return 1
    scale = 10 ** math.floor(math.log10(value))
    return next(round(step * scale, 9) for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 6, 8, 10) if step * scale >= value)


def _legend(names: Sequence[str], x: float, right: float) -> tuple[list[str], int]:
    """Legend entries left to right, wrapping before `right`; returns the parts and the height used."""
    parts, offset, y = [], 0.0, 16
    for i, name in enumerate(names):
        width = 24 + 12.5 * len(name)  # a CJK glyph is about one font size wide
        if offset and x + offset + width > right:
            offset, y = 0.0, y + 18
        parts.append(f'<rect x="{x + offset:.1f}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % 8]}"/>')
        parts.append(f'<text x="{x + offset + 14:.1f}" y="{y}">{escape(name)}</text>')
        offset += width
    return parts, y + 10


def line_chart(
    x_labels: Sequence[str], series: dict[str, Sequence[float | None]], label: str, y_max: float = 1.0
) -> str:
    """Lines over days on a 0…y_max axis (rates); a missing value breaks its line."""
    if not x_labels or all(v is None for values in series.values() for v in values):
        return ""
    width, left, right, bottom, plot_h = 720, 48, 16, 36, 210
    body, top = _legend(list(series), left, width - right)
    height = top + plot_h + bottom
    plot_w = width - left - right
    step = plot_w / max(len(x_labels) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(x_labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - min(max(v / y_max, 0.0), 1.0))

    for tick in range(5):
        value = y_max * tick / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e3e3e3"/>'
        )
        body.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{percent(value)}</text>')
    every = max(1, len(x_labels) // 10)
    for i, name in enumerate(x_labels):
        if i % every == 0 or i == len(x_labels) - 1:
            body.append(f'<text x="{x(i):.1f}" y="{height - 14}" text-anchor="middle">{escape(name)}</text>')
    for s, (name, values) in enumerate(series.items()):
        colour = PALETTE[s % 8]
        run: list[str] = []
        for i, value in enumerate([*values, None]):
            if value is None:
                if len(run) > 1:
                    points = " ".join(run)
                    body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
                run = []
                continue
            run.append(f"{x(i):.1f},{y(value):.1f}")
            body.append(
                f'<circle class="mark" cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} {escape(x_labels[i])}: {percent(value)}</title></circle>"
            )
    return _svg(width, height, label, body)


def bar_chart(items: Sequence[tuple[str, float]], label: str, fmt: Callable[[float], str] = str) -> str:
    """Horizontal bars, one per item, largest first as given; the value is written at each bar's end."""
    if not items:
        return ""
    width, row, left, right = 720, 26, 170, 70
    height = row * len(items) + 8
    peak = max((value for _, value in items), default=0) or 1
    body = []
    for i, (name, value) in enumerate(items):
        bar_w = (width - left - right) * max(value, 0) / peak
        y = 4 + i * row
        body.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{escape(name)}</text>')
        body.append(
            f'<rect class="mark" x="{left}" y="{y + 3}" width="{max(bar_w, 1):.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(name)}: {escape(fmt(value))}</title></rect>'
        )
        body.append(f'<text x="{left + bar_w + 6:.1f}" y="{y + 16}">{escape(fmt(value))}</text>')
    return _svg(width, height, label, body)


def stacked_bar_chart(x_labels: Sequence[str], series: dict[str, Sequence[int]], label: str) -> str:
    """Columns per day, stacked by series (channels), with a legend."""
    if not x_labels or not any(any(values) for values in series.values()):
        return ""
    width, left, right, bottom, plot_h = 720, 56, 16, 36, 230
    body, top = _legend(list(series), left, width - right)
    height = top + plot_h + bottom
    plot_w = width - left - right
    totals = [sum(values[i] for values in series.values()) for i in range(len(x_labels))]
    peak = _nice_ceiling(max(totals))
    slot = plot_w / len(x_labels)
    bar_w = max(min(slot * 0.7, 60), 2)
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot_h * (1 - tick / 4)
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:,.4g}</text>')
    every = max(1, len(x_labels) // 10)
    for i, name in enumerate(x_labels):
        x = left + slot * i + (slot - bar_w) / 2
        base = top + plot_h
        for s, (channel, values) in enumerate(series.items()):
            if not values[i]:
                continue
            h = plot_h * values[i] / peak
            base -= h
            body.append(
                f'<rect class="mark" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % 8]}"><title>{escape(name)} {escape(channel)}: {values[i]:,}</title></rect>'
            )
        if i % every == 0 or i == len(x_labels) - 1:
            body.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 14}" text-anchor="middle">{escape(name)}</text>')
    return _svg(width, height, label, body)
