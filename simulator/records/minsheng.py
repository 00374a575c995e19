"""民声通道 appeals: submitted -> assigned -> processing -> done -> rated, or withdrawn by the citizen."""

from __future__ import annotations

from simulator import text
from simulator.clock import fmt_utc_z
from simulator.records.context import BuildContext
from simulator.world.draw import Weighted
from simulator.world.model import Appeal, SourceRecord

ENTRIES = Weighted({"码上办扫码": 45, "小程序": 40, "村口板凳会": 15})
RATINGS = Weighted({1: 6, 2: 6, 3: 14, 4: 30, 5: 44})
WITHDRAW_P = 0.08
QUICK_WITHDRAW_P = 0.4  # of withdrawals: within minutes, so a sync may never see the item


def build(ctx: BuildContext, appeal: Appeal, at_ms: int) -> SourceRecord:
    rng, incident, person = ctx.rng, appeal.incident, appeal.person
    kind = incident.kind
    entry = ENTRIES.draw(rng)
    record_id = ctx.ids.uuid()
    created = at_ms
    located = entry != "村口板凳会" and rng.random() < 0.85
    base = {
        "id": record_id,
        "created": fmt_utc_z(created),
        "modified": fmt_utc_z(created),
        "entry": entry,
        "name": person.name if person and rng.random() < 0.6 else None,
        "phone": person.mobile if person and rng.random() < 0.75 else None,
        "content": text.minsheng_content(rng, kind, ctx.place(appeal), entry),
        "location": {
            "lat": round(incident.lat + rng.uniform(-3e-4, 3e-4), 6),
            "lng": round(incident.lng + rng.uniform(-3e-4, 3e-4), 6),
        }
        if located
        else None,
        "community": incident.community.name if rng.random() < 0.8 else None,
        "status": "submitted",
        "assignee": None,
        "rating": None,
        "rated_at": None,
    }
    record = SourceRecord(
        "minsheng", record_id, appeal.appeal_id, incident.incident_id, created, created, created, base
    )
    withdraw_after = None
    if rng.random() < WITHDRAW_P:
        withdraw_after = ctx.minutes(2, 30) if rng.random() < QUICK_WITHDRAW_P else ctx.hours(1, 48)
    t = created
    steps = (("assigned", 0.2, 6), ("processing", 1, 24), ("done", 12, 120), ("rated", 6, 72))
    for status, low, high in steps:
        if status == "rated" and rng.random() < 0.3:
            break
        step_t = t + ctx.hours(low, high)
        if withdraw_after is not None and step_t > created + withdraw_after:
            break
        t = step_t
        changes: dict[str, object] = {"status": status, "modified": fmt_utc_z(t)}
        if status == "assigned":
            changes["assignee"] = kind.unit
        if status == "rated":
            changes.update(rating=RATINGS.draw(rng), rated_at=fmt_utc_z(t))
        record.patch(t, **changes)
    if withdraw_after is not None:
        t = max(t, created) + (withdraw_after if t == created else ctx.minutes(1, 30))
        record.patch(t, _deleted=True, modified=fmt_utc_z(t))
    return record
