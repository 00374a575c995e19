"""舆情 posts and reposts: published once, never updated; ids are 64-bit, rising with time."""

from __future__ import annotations

from simulator import text
from simulator.clock import fmt_local
from simulator.records.context import BuildContext
from simulator.world.draw import Weighted, below, between, one, sample
from simulator.world.model import Appeal, SourceRecord

PLATFORMS = Weighted({"微博": 45, "抖音": 20, "微信公众号": 10, "今日头条": 15, "本地论坛": 10})
URL_HOSTS = {
    "微博": "https://weibo.com/{a}/{i}",
    "抖音": "https://www.douyin.com/video/{i}",
    "微信公众号": "https://mp.weixin.qq.com/s/{i}",
    "今日头条": "https://www.toutiao.com/article/{i}/",
    "本地论坛": "https://bbs.jxnews.example/thread-{i}-1-1.html",
}
AUTHOR_NAMES = (
    "洪城小李",
    "南昌吃货",
    "西湖区街坊",
    "赣江边的风",
    "豫章故郡",
    "八一广场",
    "南昌生活圈",
    "城事观察",
    "打工人小周",
    "爱南昌",
)


def build(ctx: BuildContext, appeal: Appeal, at_ms: int, repost_of: SourceRecord | None = None) -> SourceRecord:
    rng, incident = ctx.rng, appeal.incident
    kind = incident.kind
    post_id = ctx.ids.post_id(at_ms)
    platform = PLATFORMS.draw(rng)
    author_id = f"u{10**6 + below(rng, 10**10 - 10**6)}"
    author_name = one(rng, AUTHOR_NAMES) + (str(below(rng, 100)) if rng.random() < 0.5 else "")
    if repost_of is None:
        body = text.opinion_post(rng, kind, ctx.place(appeal))
    else:
        body = text.opinion_repost(rng, repost_of.base["author"]["name"], repost_of.base["text"][:80])
    base = {  # "id" first: the vendor starts every line with it
        "id": post_id,
        "platform": platform,
        "url": URL_HOSTS[platform].format(a=author_id, i=post_id),
        "author": {"id": author_id, "name": author_name, "followers": int(rng.paretovariate(1.0) * 200)},
        "published_at": fmt_local(at_ms, "%Y-%m-%dT%H:%M:%S+08:00"),
        "title": text.opinion_title(rng, kind, incident.road) if repost_of is None else None,
        "text": body,
        "geo_hint": one(rng, ("南昌·西湖区", f"南昌·{incident.street.name}", "南昌", None)),
        "sentiment": round(rng.uniform(-0.95, -0.1) if rng.random() < 0.85 else rng.uniform(-0.1, 0.6), 2),
        "metrics": {"reposts": below(rng, 50), "comments": below(rng, 120), "likes": below(rng, 800)},
        "repost_of": repost_of.record_id if repost_of else None,
        "keywords": sample(rng, kind.keywords, between(rng, 1, len(kind.keywords))),
    }
    return SourceRecord("opinion", post_id, appeal.appeal_id, incident.incident_id, at_ms, at_ms, int(post_id), base)
