"""数字化城管 cases: 1 上报 -> 2 立案 -> 3 派遣 -> 4 处置中 -> 5 处置完成 -> 6 核查通过 -> 7 结案, or 9 作废."""

from __future__ import annotations

from simulator import text
from simulator.clock import DAY_MS
from simulator.geo import wgs84_to_gcj02
from simulator.records.context import BuildContext
from simulator.world.draw import between
from simulator.world.model import Appeal, SourceRecord

PHOTO_HOST = "https://img.szcg.xihu.example/case"
VOID_P = 0.05
NO_FIX_P = 0.03


def build(ctx: BuildContext, appeal: Appeal, at_ms: int, source: str) -> SourceRecord:
    rng, incident = ctx.rng, appeal.incident
    kind = incident.kind
    assert kind.event_class is not None
    case_id = ctx.ids.case_id(at_ms)
    report_ms = at_ms + int(rng.random() * 1000)
    if rng.random() < NO_FIX_P:
        lat, lng = 0, 0
    else:
        lat, lng = wgs84_to_gcj02(incident.lat + rng.uniform(-4e-4, 4e-4), incident.lng + rng.uniform(-4e-4, 4e-4))
        lat, lng = round(lat, 6), round(lng, 6)
    ec = kind.event_class
    mobile = appeal.person.mobile if appeal.person else None
    base = {
        "caseId": case_id,
        "reportTime": report_ms,
        "lastModified": report_ms,
        "source": source,
        "reporterMobile": f"{mobile[:3]}****{mobile[7:]}" if source == "市民上报" and mobile else None,
        "eventClass": {
            "bigCode": ec.big_code,
            "bigName": ec.big_name,
            "smallCode": ec.small_code,
            "smallName": ec.small_name,
        },
        "description": text.city_mgmt_description(
            rng, kind, incident.spot if rng.random() < 0.5 else ctx.place(appeal), source
        ),
        "address": incident.spot,
        "lng": lng,
        "lat": lat,
        "gridCode": incident.community.code,
        "photos": [f"{PHOTO_HOST}/{case_id}_{i}.jpg" for i in range(between(rng, 0, 3))],
        "state": 1,
        "handleUnit": None,
        "deadline": None,
        "closeTime": None,
    }
    record = SourceRecord(
        "city_mgmt", case_id, appeal.appeal_id, incident.incident_id, report_ms, report_ms, report_ms, base
    )
    t = report_ms
    if rng.random() < VOID_P:
        t += ctx.hours(0.5, 8)
        record.patch(t, lastModified=t, state=9)
        return record
    t += ctx.minutes(5, 180)
    record.patch(t, lastModified=t, state=2, handleUnit=kind.unit, deadline=t + 2 * DAY_MS)
    for state, low, high in ((3, 0.1, 2), (4, 1, 12), (5, 2, 60), (6, 1, 12)):
        if state == 6 and rng.random() < 0.3:
            continue  # not every case gets a separate 核查 step
        t += ctx.hours(low, high)
        record.patch(t, lastModified=t, state=state)
    t += ctx.hours(1, 24)
    record.patch(t, lastModified=t, state=7, closeTime=t)
    return record
