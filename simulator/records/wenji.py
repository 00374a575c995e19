"""问计江西 suggestions: 待处理 -> 已采纳 / 部分采纳 / 未采纳, exported once a day after 01:00."""

from __future__ import annotations

from simulator import text
from simulator.clock import DAY_MS, HOUR_MS, day_start_ms, fmt_local, local_day
from simulator.records.context import BuildContext
from simulator.world.draw import Weighted
from simulator.world.model import Appeal, SourceRecord

OUTCOMES = Weighted({"已采纳": 30, "部分采纳": 35, "未采纳": 35})
REPLIES = {
    "已采纳": "感谢您的宝贵建议，已转{unit}研究采纳，将在下一步工作中落实。",
    "部分采纳": '您的建议已转{unit}，部分内容已纳入工作计划，其余将结合实际"逐步推进"。',
    "未采纳": "感谢关注。经{unit}研究，因条件所限，暂不采纳，\n后续将持续关注。",
}


def export_available_ms(submitted_ms: int) -> int:
    return day_start_ms(local_day(submitted_ms)) + DAY_MS + HOUR_MS


def build(ctx: BuildContext, appeal: Appeal, at_ms: int) -> SourceRecord:
    rng, incident, person = ctx.rng, appeal.incident, appeal.person
    kind = incident.kind
    suggestion_id = ctx.ids.suggestion_id(at_ms)
    title, content = text.wenji_suggestion(rng, kind, ctx.place(appeal))
    base = {
        "建议编号": suggestion_id,
        "提交时间": fmt_local(at_ms, "%Y-%m-%d %H:%M"),
        "标题": title,
        "建议内容": content,
        "所属领域": "其他" if rng.random() < 0.1 else kind.wenji_field,
        "手机号码": person.mobile if person and rng.random() < 0.7 else "",
        "采纳状态": "待处理",
        "回复内容": "",
    }
    record = SourceRecord(
        "wenji", suggestion_id, appeal.appeal_id, incident.incident_id, at_ms, export_available_ms(at_ms), at_ms, base
    )
    if rng.random() < 0.8:
        t = at_ms + ctx.hours(30, 20 * 24)
        outcome = OUTCOMES.draw(rng)
        record.patch(t, 采纳状态=outcome, 回复内容=REPLIES[outcome].format(unit=kind.unit))
    return record
