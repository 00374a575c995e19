"""The report's Chinese names for the mart's keys and how numbers are written."""

from __future__ import annotations

from datetime import date

RATE_NAMES = {
    "response_rate": "响应率",
    "resolution_rate": "解决率",
    "satisfaction_rate": "满意率",
    "closure_rate": "办结率",
}
RATE_MEANINGS = {
    "response_rate": "受理后24小时内派单或办结的诉求占比",
    "resolution_rate": "回访或评价中认为问题已解决的占比",
    "satisfaction_rate": "评价为满意或基本满意的占比",
    "closure_rate": "已办结的诉求占全部受理诉求的比例",
}
CHANNEL_NAMES = {  # used when the mart's dim_channel does not name a channel
    "hotline": "12345热线",
    "city_mgmt": "掌上城管",
    "petition": "数字信访",
    "opinion": "舆情监测",
    "wenzheng": "问政江西",
    "wenji": "问计江西",
    "minsheng": "民声通道",
}
MATCH_METHOD_NAMES = {
    "single_record": "单条记录，无重复",
    "anchor": "合并后保留的首条记录",
    "same_person": "同一诉求人、同一诉求",
    "same_masked_person": "脱敏号码对应同一诉求人",
    "manual:same": "人工复核认定重复",
}
LEVEL_NAMES = {"high": "高", "medium": "中", "low": "低", "red": "红色", "orange": "橙色", "yellow": "黄色"}


def channel_name(key: str | None) -> str:
    return CHANNEL_NAMES.get(key or "", key or "未知渠道")


def match_method_name(method: str) -> str:
    if method.startswith("channel_link:"):
        return f"渠道自身标注的关联（{channel_name(method.split(':', 1)[1])}）"
    return MATCH_METHOD_NAMES.get(method, method)


def level_name(level: str | None) -> str:
    return LEVEL_NAMES.get((level or "").lower(), level or "—")


def rate_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def change_text(recent: float | None, previous: float | None) -> str:
    """A change in rate, in percentage points, as Chinese reports write it."""
    if recent is None or previous is None:
        return "无可比数据"
    points = (recent - previous) * 100
    if abs(points) < 0.05:
        return "持平"
    return f"{'↑' if points > 0 else '↓'} {abs(points):.1f} 个百分点"


def count_change_text(recent: int, previous: int) -> str:
    if previous == 0:
        return "新出现" if recent else "—"
    ratio = (recent - previous) / previous
    if recent == previous:
        return "持平"
    return f"{'↑' if ratio > 0 else '↓'} {abs(ratio):.0%}"


def day_text(day: date | None) -> str:
    return "—" if day is None else f"{day.year}年{day.month}月{day.day}日"


def short_day(day: date) -> str:
    return f"{day.month}/{day.day}"
