"""问政江西 messages: 待受理 -> 办理中 -> 已回复 (replies within 15 days mostly, 95% within 30)."""

from __future__ import annotations

from simulator import text
from simulator.clock import MINUTE_MS, fmt_local
from simulator.records.context import BuildContext
from simulator.world.draw import below, one
from simulator.world.model import Appeal, SourceRecord

NICK_STEMS = ("洪城", "豫章", "西湖", "滕王阁", "赣江", "绳金塔", "八一", "南昌")
NICK_TAILS = ("小李", "老王", "市民", "居民", "过客", "打工人", "宝妈", "老街坊", "网友")
TIME_FMT = "%Y/%m/%d %H:%M"


def build(ctx: BuildContext, appeal: Appeal, at_ms: int) -> SourceRecord:
    rng, incident = ctx.rng, appeal.incident
    kind = incident.kind
    post_ms = at_ms - at_ms % MINUTE_MS
    msg_id = ctx.ids.msg_id()
    title, body = text.wenzheng_message(rng, kind, ctx.place(appeal), incident.road)
    outside = rng.random() < 0.02  # the writer picked a neighbouring district
    base = {
        "msgId": msg_id,
        "title": title,
        "body": body,
        "postTime": fmt_local(post_ms, TIME_FMT),
        "updateTime": fmt_local(post_ms, TIME_FMT),
        "nickname": one(rng, NICK_STEMS) + one(rng, NICK_TAILS) + str(10 + below(rng, 9989)),
        "targetUnit": one(rng, (f"{ctx.district.city}{ctx.district.name}人民政府", kind.unit)),
        "region": f"{ctx.district.city} {'东湖区' if outside else ctx.district.name}",
        "state": "待受理",
        "replyUnit": None,
        "replyBody": None,
        "replyTime": None,
        "likes": below(rng, 30),
        "views": 20 + below(rng, 580),
    }
    record = SourceRecord(
        "wenzheng", str(msg_id), appeal.appeal_id, incident.incident_id, post_ms, post_ms, post_ms, base
    )
    t = post_ms + ctx.hours(4, 72)
    record.patch(t, state="办理中", updateTime=fmt_local(t, TIME_FMT), views=base["views"] + 50 + below(rng, 250))
    days = (
        rng.uniform(1, 15)
        if rng.random() < 0.7
        else rng.uniform(15, 30)
        if rng.random() < 0.85
        else rng.uniform(30, 45)
    )
    t = max(t + ctx.minutes(10, 60), post_ms + int(days * 86_400_000))
    t -= t % MINUTE_MS
    record.patch(
        t,
        state="已回复",
        updateTime=fmt_local(t, TIME_FMT),
        replyUnit=kind.unit,
        replyBody=text.wenzheng_reply(rng, kind.unit),
        replyTime=fmt_local(t, TIME_FMT),
        views=base["views"] + 300 + below(rng, 1700),
        likes=base["likes"] + below(rng, 40),
    )
    return record
