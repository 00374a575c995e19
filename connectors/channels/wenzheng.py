"""wenzheng: 问政江西 online messages to officials (feeds/wenzheng.md).

Page-numbered, newest first, windowed by post date (inclusive local dates). Items posted while
paging push older ones down, so later pages repeat tails: de-duplicated within a pull. The
server allows 5 requests a second; a client-side token bucket keeps under it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any, ClassVar

import orjson
import requests

from connectors.core.batch import Batch, BatchBuilder, serialise_each
from connectors.core.channel import Connector, Setting
from connectors.core.errors import FeedError
from connectors.core.http import FeedSession, RetryableAnswer, response_json
from connectors.core.pagination import PageNumberPaginator
from connectors.core.rate_limit import TokenBucket
from connectors.core.window import DateWindow

PAGE_SIZE = 50
# The feed allows 5 requests a second; a margin under it so timing jitter does not cross it.
REQUESTS_PER_SECOND = 4.5
RETRYABLE_MESSAGES = ("系统繁忙", "访问过于频繁")


class WenzhengConnector(Connector):
    key: ClassVar[str] = "wenzheng"
    title: ClassVar[str] = "问政江西"
    windowed: ClassVar[bool] = True
    # Replies arrive up to 30 days after posting: orchestration re-pulls that far back.
    lookback_days: ClassVar[int] = 30
    settings: ClassVar[tuple[Setting, ...]] = (Setting("WENZHENG_BASE_URL", "http://127.0.0.1:18105"),)
    expected_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "msgId", "title", "body", "postTime", "updateTime", "nickname", "targetUnit", "region", "state",
            "replyUnit", "replyBody", "replyTime", "likes", "views",
        }
    )  # fmt: skip

    def fetch_pages(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        if window is None:
            raise ValueError("wenzheng is pulled by window")
        self._url = f"{self.base_url('WENZHENG_BASE_URL')}/api/messages"
        self._http = FeedSession(
            self.key, "WENZHENG_BASE_URL", self.policy, rate_limit=TokenBucket(REQUESTS_PER_SECOND)
        )
        high_water = (cursor or {}).get("max_update_time")
        try:
            # One listing for the whole window: at 5 requests a second, fewer requests is what counts.
            for items in PageNumberPaginator(partial(self._page, window), identity=_identity).pages():
                if items:
                    high_water = max([high_water or "", *(i["updateTime"] for i in items if _version(i))])
                    yield self._parse(items).build(cursor={"max_update_time": high_water or None})
        finally:
            self._http.close()

    def _page(self, window: DateWindow, page: int) -> tuple[list[Any], int]:
        params = {"begin": window.start.isoformat(), "end": window.end.isoformat(), "page": page, "size": PAGE_SIZE}
        body = response_json(self._http.get(self._url, params=params, check=self._check))
        pages = body.get("pages")
        return body.get("list") or [], pages if isinstance(pages, int) else page

    def _check(self, response: requests.Response) -> None:
        if response.status_code != 200:
            raise FeedError(self.key, f"unexpected HTTP {response.status_code}: {response.text[:200]}")
        body = response_json(response)
        if not isinstance(body, dict):
            raise RetryableAnswer("answer is not a JSON object")
        if body.get("result") == "ok":
            return
        message = str(body.get("message", ""))
        if message in RETRYABLE_MESSAGES:
            raise RetryableAnswer(f"error: {message}")
        raise FeedError(self.key, f"error: {message} (a request the feed rejects: a bug)")

    def _parse(self, items: list[Any]) -> BatchBuilder:
        builder = BatchBuilder()
        ids, versions, good = [], [], []
        for item in items:
            msg_id = item.get("msgId") if isinstance(item, dict) else None
            updated = _version(item)
            if not isinstance(msg_id, int) or isinstance(msg_id, bool):
                builder.quarantine(orjson.dumps(item), "message without an integer msgId")
            elif updated is None:
                builder.quarantine(orjson.dumps(item), f"message {msg_id} has no updateTime", str(msg_id))
            else:
                ids.append(str(msg_id))
                versions.append(updated)
                good.append(item)
        builder.add_many(ids, versions, serialise_each(good))  # the body's HTML stays as sent
        return builder


def _version(item: Any) -> str | None:
    value = item.get("updateTime") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _identity(item: Any) -> Any:
    """(msgId, updateTime): a reply changes updateTime and is a new version, not a repeat."""
    return (item.get("msgId"), item.get("updateTime")) if isinstance(item, dict) else orjson.dumps(item)
