"""12345 work orders: 已受理 -> 已派单 (-> 已退单 -> 已派单) -> 办理中 -> 已办结 -> 已回访, or 并单."""

from __future__ import annotations

from simulator import text
from simulator.clock import DAY_MS, fmt_local
from simulator.records.context import BuildContext
from simulator.world.draw import Weighted
from simulator.world.model import Appeal, SourceRecord
from simulator.world.persons import Person

PHONE_FORMATS = Weighted({"plain": 45, "dashed": 15, "plus86": 10, "landline": 18, "anonymous": 12})
SATISFIED = Weighted({"满意": 70, "基本满意": 30})
UNSATISFIED = Weighted({"基本满意": 20, "不满意": 80})


def typed_phone(ctx: BuildContext, person: Person) -> str:
    """The caller's number as the agent typed it."""
    style = PHONE_FORMATS.draw(ctx.rng)
    m = person.mobile
    if style == "landline" and person.landline:
        return person.landline
    if style == "dashed":
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if style == "plus86":
        return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
    if style == "anonymous":
        return ""
    return m


def build(
    ctx: BuildContext, appeal: Appeal, at_ms: int, repeat_of: SourceRecord | None = None, merge: bool = False
) -> SourceRecord:
    rng = ctx.rng
    kind, incident, person = appeal.incident.kind, appeal.incident, appeal.person
    assert person is not None
    order_no = ctx.ids.order_no(at_ms)
    created = _whole_second(at_ms + ctx.minutes(1, 6))
    days_allowed = 3 if appeal.appeal_type in ("投诉", "求助", "举报") else 5
    phone = typed_phone(ctx, person)
    base = {
        "order_no": order_no,
        "version": 1,
        "call_time": fmt_local(at_ms),
        "updated_at": fmt_local(created),
        "caller_phone": phone,
        "caller_name": ""
        if not phone and rng.random() < 0.5
        else (person.name if rng.random() < 0.2 else person.courtesy_name),
        "appeal_type": appeal.appeal_type,
        "category": "" if appeal.appeal_type == "咨询" and rng.random() < 0.5 else kind.hotline_path,
        "content": text.hotline_content(rng, kind, ctx.place(appeal), repeat=repeat_of is not None),
        "district": ctx.district.name,
        "street": "" if rng.random() < 0.08 else incident.street.name,
        "address": incident.spot if kind.is_spatial else person.home,
        "dept": "",
        "status": "已受理",
        "dispatched_at": None,
        "finished_at": None,
        "visited_at": None,
        "deadline": fmt_local(at_ms + days_allowed * DAY_MS, "%Y-%m-%d"),
        "resolved": None,
        "satisfaction": None,
        "merged_into": None,
    }
    record = SourceRecord("hotline", order_no, appeal.appeal_id, incident.incident_id, created, created, created, base)
    if merge and repeat_of is not None:
        merged_at = created + ctx.minutes(5, 90)
        _update(record, merged_at, status="已办结", merged_into=repeat_of.record_id, finished_at=fmt_local(merged_at))
        return record
    _work_through(ctx, record, created, days_allowed, kind.unit)
    return record


def _whole_second(ms: int) -> int:
    return ms - ms % 1000  # updated_at has whole seconds; keep the order it shows


def _update(record: SourceRecord, at_ms: int, **changes: object) -> None:
    at_ms -= at_ms % 1000
    patches = record.patches
    patches.append((at_ms, {"version": len(patches) + 2, "updated_at": fmt_local(at_ms), **changes}))


def _work_through(ctx: BuildContext, record: SourceRecord, t: int, days_allowed: int, unit: str) -> None:
    rng = ctx.rng
    t += ctx.minutes(8, 240) if rng.random() < 0.93 else ctx.hours(24, 60)
    _update(record, t, status="已派单", dept=unit, dispatched_at=fmt_local(t))
    if rng.random() < 0.08:
        t += ctx.hours(2, 12)
        _update(record, t, status="已退单")
        t += ctx.hours(1, 8)
        _update(record, t, status="已派单", dispatched_at=fmt_local(t))
    t += ctx.hours(1, 20)
    _update(record, t, status="办理中")
    on_time = rng.random() < 0.85
    t += ctx.hours(4, days_allowed * 24 - 30) if on_time else ctx.hours(days_allowed * 24 + 2, 240)
    _update(record, t, status="已办结", finished_at=fmt_local(t))
    if rng.random() < 0.85:
        t += ctx.hours(6, 60)
        resolved = rng.random() < 0.8
        satisfaction = (SATISFIED if resolved else UNSATISFIED).draw(rng)
        _update(
            record,
            t,
            status="已回访",
            visited_at=fmt_local(t),
            resolved="是" if resolved else "否",
            satisfaction=satisfaction,
        )
