"""The report page: sections of headline figures, charts and tables; every value is HTML-escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape

from warehouse.report import charts
from warehouse.report.labels import (
    RATE_MEANINGS,
    RATE_NAMES,
    change_text,
    channel_name,
    count_change_text,
    day_text,
    level_name,
    match_method_name,
    rate_text,
    short_day,
)
from warehouse.report.queries import ReportData
from warehouse.report.rates_sql import RATE_KEYS
from warehouse.report.style import RENDER_CHECK_SCRIPT, STYLE


def render_page(data: ReportData) -> str:
    title = f"{data.district or '本区'}接诉即办工作报告"
    sections = [
        _headline(data),
        _trend(data),
        _breakdown("streets", "各街道情况", "街道", data.streets),
        _breakdown("units", "各承办单位情况", "承办单位", data.units),
        _categories(data),
        _incidents(data),
        _alerts(data),
        _channels(data),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style><script>{RENDER_CHECK_SCRIPT}</script></head>"
        f"<body><header><h1>{escape(title)}</h1><p>{escape(_window_text(data))}</p></header>"
        f"<main>{''.join(sections)}</main>{_footer(data)}</body></html>\n"
    )


def _window_text(data: ReportData) -> str:
    publication = data.publication or {}
    start, end = publication.get("window_start"), publication.get("window_end")
    if start and end:
        return f"统计窗口：{day_text(start)}至{day_text(end)}"
    if data.days:
        return f"数据范围：{day_text(data.days[0])}至{day_text(data.days[-1])}"
    return "暂无数据"


def _period_text(data: ReportData) -> str:
    p = data.period
    if not p:
        return ""
    return f"近{p.days}日（{short_day(p.recent_start)}–{short_day(p.end)}）较前{p.days}日"


def _section(key: str, title: str, *parts: str) -> str:
    return f'<section id="{key}"><h2>{escape(title)}</h2>{"".join(parts)}</section>'


def _figure(key: str, caption: str, svg: str) -> str:
    if not svg:
        return (
            f'<figure data-chart="{key}" data-empty="true"><figcaption>{escape(caption)}</figcaption>'
            '<p class="empty">暂无数据</p></figure>'
        )
    return f'<figure data-chart="{key}"><figcaption>{escape(caption)}</figcaption>{svg}</figure>'


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], empty: str = "暂无数据") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{_align(value)}>{escape(_cell(value))}</td>" for value in row) + "</tr>" for row in rows
    )
    if not body:
        return f'<p class="empty">{escape(empty)}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _align(value: object) -> str:
    figure = isinstance(value, str) and (value.endswith(("%", "—")) or value in ("新出现", "持平"))
    numeric = figure or isinstance(value, int | float | datetime)
    return ' class="num"' if numeric else ""


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _headline(data: ReportData) -> str:
    cards = [f'<div class="card"><span>受理诉求</span><strong>{data.n_handled:,}</strong><em>件（不含舆情）</em></div>']
    for key in RATE_KEYS:
        change = change_text(data.rates_recent.get(key), data.rates_previous.get(key))
        cards.append(
            f'<div class="card" title="{escape(RATE_MEANINGS[key])}"><span>{RATE_NAMES[key]}</span>'
            f"<strong>{rate_text(data.rates_overall.get(key))}</strong>"
            f"<em>{escape(_period_text(data))} {escape(change)}</em></div>"
        )
    note = "；".join(f"{RATE_NAMES[k]}：{RATE_MEANINGS[k]}" for k in RATE_KEYS)
    return _section("headline", "核心指标", f'<div class="cards">{"".join(cards)}</div><p class="note">{note}。</p>')


def _trend(data: ReportData) -> str:
    labels = [short_day(day) for day in data.days]
    series = {RATE_NAMES[key]: data.daily_rates.get(key, []) for key in RATE_KEYS}
    return _section(
        "trend",
        "每日走势",
        _figure("rates_by_day", "四项指标逐日走势（按受理日）", charts.line_chart(labels, series, "四项指标逐日走势")),
        '<p class="note">按受理日统计：最近几日受理的诉求多数仍在办理中，'
        "其办结率、解决率和满意率会随办理推进而上升，与前期比较时请留意。</p>",
        _figure(
            "received_by_day",
            "每日受理诉求件数",
            charts.bar_chart(
                [(f"{day.month}月{day.day}日", n) for day, n in zip(data.days, data.daily_received, strict=True)],
                "每日受理诉求件数",
                lambda v: f"{v:,.0f}件",
            ),
        ),
    )


def _breakdown(key: str, title: str, noun: str, rows: list[tuple]) -> str:
    chart = charts.bar_chart([(row[0], row[1]) for row in rows], f"{noun}受理件数", lambda v: f"{v:,.0f}件")
    table_rows = [(row[0], row[1], *(rate_text(v) for v in row[2:6]), row[6]) for row in rows]
    headers = [noun, "受理件数", *(RATE_NAMES[k] for k in RATE_KEYS), "超期件数"]
    return _section(
        key, title, _figure(f"{key}_received", f"{noun}受理件数（前15）", chart), _table(headers, table_rows)
    )


def _categories(data: ReportData) -> str:
    chart = charts.bar_chart(data.top_categories, "诉求类别", lambda v: f"{v:,.0f}件")
    changes = [
        (l1, l2, recent, previous, count_change_text(recent, previous))
        for l1, l2, recent, previous in data.category_changes
    ]
    period = _period_text(data)
    return _section(
        "categories",
        "诉求类别",
        _figure("top_categories", "诉求最多的一级类别（全部渠道）", chart),
        f"<h3>{escape(period or '近期')}变化最大的类别</h3>",
        _table(["一级类别", "二级类别", "近期件数", "前期件数", "变化"], changes),
    )


def _incidents(data: ReportData) -> str:
    rows = [
        (title or incident_id, category, street, n, channels, posts, first_seen, last_seen)
        for incident_id, category, street, n, channels, posts, first_seen, last_seen, title in data.incidents
    ]
    headers = ["事件（首条诉求标题）", "类别", "街道", "诉求件数", "渠道数", "舆情帖数", "首次出现", "最近出现"]
    return _section("incidents", "诉求最集中的事件", _table(headers, rows))


def _alerts(data: ReportData) -> str:
    rows = [
        (level_name(level), street, category, observed, expected, score, reason)
        for level, street, category, observed, expected, score, reason in data.alerts
    ]
    shown = f"，按异常分值列出前{len(rows)}条" if data.n_alerts > len(rows) else ""
    intro = (
        f"<p>预警日期：{escape(day_text(data.alert_date))}，共{data.n_alerts}条{shown}。</p>" if data.alert_date else ""
    )
    return _section(
        "alerts",
        "风险预警（未诉先办）",
        intro,
        _table(["等级", "街道", "类别", "实际件数", "预期件数", "异常分值", "预警原因"], rows, "当前没有风险预警。"),
    )


def _channels(data: ReportData) -> str:
    series = {
        data.channel_names.get(key) or channel_name(key): values
        for key, values in sorted(data.channel_days.items(), key=lambda item: -sum(item[1]))
    }
    chart = charts.stacked_bar_chart([short_day(d) for d in data.days], series, "各渠道每日来件")
    merged = data.n_records - data.n_complaints
    share = f"{merged / data.n_records:.1%}" if data.n_records else "—"
    text = (
        f"<p>各渠道共收到原始记录 {data.n_records:,} 条，去重合并后为 {data.n_complaints:,} 件诉求，"
        f"合并重复记录 {merged:,} 条（占 {share}）；其中 {data.n_cross_channel:,} 件诉求经由两个及以上渠道反映。</p>"
    )
    return _section(
        "channels",
        "渠道构成与去重",
        _figure("records_by_channel", "各渠道每日来件（原始记录数）", chart),
        text,
        _table(["归并依据", "记录数"], [(match_method_name(m), n) for m, n in data.match_methods]),
    )


def _footer(data: ReportData) -> str:
    publication = data.publication
    if not publication:
        return "<footer><p>未找到发布记录（mart.publication）。</p></footer>"
    published_at = publication.get("published_at")
    when = published_at.strftime("%Y-%m-%d %H:%M") if isinstance(published_at, datetime) else "—"
    rows = ", ".join(f"{name} {count:,}" for name, count in sorted(publication.get("table_rows", {}).items()))
    return (
        "<footer><p>数据来源：治汇数据集市发布副本（mart.publication）。"
        f"运行编号 {escape(publication.get('run_id') or '—')}；"
        f"{escape(_window_text(data))}；发布时间 {escape(when)}（北京时间）。</p>"
        f'<p class="note">各表行数：{escape(rows)}</p></footer>'
    )
