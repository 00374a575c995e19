"""信访件: 待受理 -> 已受理 (or 不予受理) -> 办理中 -> 已办结 -> 评价 (-> 复查中 -> 已办结).

Times inside are kept for ordering; the export shows dates only. A petition first appears in the
export made at 01:00 the day after registration (feeds/petition.py writes the files).
"""

from __future__ import annotations

from simulator import text
from simulator.clock import DAY_MS, HOUR_MS, day_start_ms, fmt_local, local_day
from simulator.records.context import BuildContext
from simulator.world.draw import Weighted, one
from simulator.world.model import Appeal, SourceRecord

FORMS = Weighted({"网上信访": 45, "来信": 20, "来访": 20, "电话信访": 15})
RATINGS = Weighted({"满意": 55, "基本满意": 30, "不满意": 15})
REPLY_OPENINGS = ("经调查核实，", "经责任单位现场查看，", "经研究，")
REPLY_ENDINGS = ("已督促整改到位。", "已协调相关单位解决。", "已按政策予以答复。", "问题已处理完毕。")


def export_time_ms(registered_ms: int) -> int:
    """The daily export that first carries a petition registered at `registered_ms`."""
    return day_start_ms(local_day(registered_ms)) + DAY_MS + HOUR_MS


def cn_date(ms: int) -> str:
    return fmt_local(ms, "%Y年%m月%d日")


def build(ctx: BuildContext, appeal: Appeal, at_ms: int, repeat: bool = False) -> SourceRecord:
    rng, incident, person = ctx.rng, appeal.incident, appeal.person
    assert person is not None
    kind = incident.kind
    petition_id = ctx.ids.petition_id(at_ms, ctx.district.code)
    phone = person.landline if person.landline and rng.random() < 0.3 else person.mobile
    base = {
        "信访件编号": petition_id,
        "登记日期": cn_date(at_ms),
        "信访形式": FORMS.draw(rng),
        "信访人姓名": person.name,
        "证件号码": person.resident_id,
        "联系电话": phone if rng.random() < 0.8 else f"{phone[:3]} {phone[3:7]} {phone[7:]}",
        "住址": f"{ctx.district.city}{ctx.district.name}{person.street.name}{person.home}",
        "问题属地": f"{ctx.district.name}{incident.street.name}",
        "问题类别": kind.petition_class,
        "信访事项": text.petition_matter(rng, kind, ctx.place(appeal), person.name, person.home),
        "责任单位": "",
        "办理状态": "待受理",
        "受理日期": "",
        "办结日期": "",
        "答复意见": "",
        "评价": "未评价",
        "重复信访": "是" if repeat else "否",
    }
    record = SourceRecord(
        "petition", petition_id, appeal.appeal_id, incident.incident_id, at_ms, export_time_ms(at_ms), at_ms, base
    )
    t = at_ms
    if rng.random() < 0.05:  # a clerk's correction, re-exported later
        t += ctx.hours(2, 40)
        record.patch(t, 问题属地=f"{ctx.district.city}{ctx.district.name}{incident.street.name}")
    t += ctx.hours(6, 15 * 24 - 6)
    if rng.random() < 0.05:
        record.patch(t, 办理状态="不予受理", 受理日期=cn_date(t), 答复意见="经审查，该事项不属于信访受理范围。")
        return record
    record.patch(t, 办理状态="已受理", 受理日期=cn_date(t), 责任单位=kind.unit)
    t += ctx.hours(12, 120)
    record.patch(t, 办理状态="办理中")
    t += ctx.hours(48, 50 * 24)
    reply = one(rng, REPLY_OPENINGS) + one(rng, REPLY_ENDINGS)
    record.patch(t, 办理状态="已办结", 办结日期=cn_date(t), 答复意见=reply)
    if rng.random() < 0.7:
        t += ctx.hours(24, 15 * 24)
        rating = RATINGS.draw(rng)
        record.patch(t, 评价=rating)
        if rating == "不满意" and rng.random() < 0.3:
            t += ctx.hours(24, 10 * 24)
            record.patch(t, 办理状态="复查中")
    return record
