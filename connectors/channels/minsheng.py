"""minsheng: 民声通道 sync API (feeds/minsheng.md).

HMAC-signed requests; follow `next_token` while `has_more`; the last token is the cursor for
the next incremental sync. A token older than 24 hours (or a 410) means a full sync again;
landing de-duplicates what comes twice. Withdrawn ids land as `{"id": …, "_deleted": true}`.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

import orjson
import requests

from connectors.core.batch import Batch, BatchBuilder, serialise_each, utc_stamp
from connectors.core.channel import Connector, Setting
from connectors.core.errors import ConfigurationError, FeedError
from connectors.core.http import FeedSession, RetryableAnswer, response_json
from connectors.core.pagination import PageTokenExpired, SyncTokenPaginator
from connectors.core.window import DateWindow

PAGE_SIZE = 500
SYNC_PATH = "/v1/sync"
# The feed refuses tokens used 24 h after issue; start over a little before, not mid-sync.
TOKEN_LIFETIME = timedelta(hours=23)
# A 410 on a token issued seconds ago contradicts the contract: retried this often before a full sync.
FRESH_TOKEN_RETRIES = 2


def signature(secret: str, path: str, query: str, timestamp: str) -> str:
    """hex(HMAC-SHA256(secret, "GET\\n" + path + "\\n" + query + "\\n" + timestamp)), per the contract."""
    message = f"GET\n{path}\n{query}\n{timestamp}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class MinshengConnector(Connector):
    key: ClassVar[str] = "minsheng"
    title: ClassVar[str] = "民声通道"
    windowed: ClassVar[bool] = False
    settings: ClassVar[tuple[Setting, ...]] = (
        Setting("MINSHENG_BASE_URL", "http://127.0.0.1:18107"),
        Setting("MINSHENG_APP_ID", "zhihui-sim"),
        Setting("MINSHENG_SECRET", "sim-secret", secret=True),
    )
    # the item's fields; a withdrawal lands as {"id", "_deleted"}
    expected_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "id", "created", "modified", "entry", "name", "phone", "content", "location", "community", "status",
            "assignee", "rating", "rated_at", "_deleted",
        }
    )  # fmt: skip

    def fetch_pages(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        self._base = self.base_url("MINSHENG_BASE_URL")
        self._app_id = self.setting("MINSHENG_APP_ID")
        self._secret = self.setting("MINSHENG_SECRET")
        self._http = FeedSession(self.key, "MINSHENG_BASE_URL", self.policy)
        self._fresh_tokens: dict[str, int] = {}  # tokens this run received → 410s seen on them
        paginator = SyncTokenPaginator(self._page, _usable_token(cursor))
        try:
            for (builder, issued_at), next_token in paginator.pages():
                yield builder.build(
                    cursor={"next_token": next_token, "issued_at": issued_at.isoformat()}, fetched_at=issued_at
                )
        finally:
            self._http.close()

    def _page(self, token: str | None) -> tuple[tuple[BatchBuilder, datetime], str, bool]:
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if token is not None:
            params["token"] = token
        # The URL is built here, not by requests, so the query signed is byte for byte the query sent.
        query = urlencode(params)
        url = f"{self._base}{SYNC_PATH}?{query}"
        path = urlsplit(url).path
        response = self._http.get(
            url, headers=lambda: self._signed_headers(path, query), check=partial(self._check, token=token)
        )
        fetched_at = datetime.now(UTC)
        body = response_json(response)
        next_token = body.get("next_token")
        if not isinstance(next_token, str) or not next_token:
            raise FeedError(self.key, "sync answer without a next_token")
        self._fresh_tokens[next_token] = 0
        builder = parse_sync_page(body.get("items") or [], body.get("deleted") or [], fetched_at)
        return (builder, fetched_at), next_token, bool(body.get("has_more"))

    def _signed_headers(self, path: str, query: str) -> dict[str, str]:
        """Signed per attempt: a retry after a long backoff needs a fresh timestamp."""
        timestamp = str(int(time.time()))
        return {
            "X-App-Id": self._app_id,
            "X-Timestamp": timestamp,
            "X-Signature": signature(self._secret, path, query, timestamp),
        }

    def _check(self, response: requests.Response, token: str | None) -> None:
        if response.status_code == 410:
            refusals = self._fresh_tokens.get(token or "", FRESH_TOKEN_RETRIES)
            if refusals < FRESH_TOKEN_RETRIES:
                self._fresh_tokens[token or ""] = refusals + 1
                raise RetryableAnswer("410 on a sync token issued moments ago")
            raise PageTokenExpired("sync token expired (410)")
        if response.status_code == 401:
            raise ConfigurationError(
                self.key,
                "MINSHENG_APP_ID / MINSHENG_SECRET",
                f"the feed refused the request signature (401 {response.text[:60]})",
                "are the app id and secret those issued for this feed, and is this machine's clock right?",
            )
        if response.status_code != 200:
            raise FeedError(self.key, f"unexpected HTTP {response.status_code}: {response.text[:200]}")
        if not isinstance(response_json(response), dict):
            raise RetryableAnswer("answer is not a JSON object")


def parse_sync_page(items: list[Any], deleted: list[Any], fetched_at: datetime) -> BatchBuilder:
    builder = BatchBuilder()
    ids, versions, good = [], [], []
    for item in items:
        appeal_id = item.get("id") if isinstance(item, dict) else None
        modified = item.get("modified") if isinstance(item, dict) else None
        if not isinstance(appeal_id, str) or not appeal_id:
            builder.quarantine(orjson.dumps(item), "item without an id")
        elif not isinstance(modified, str):
            builder.quarantine(orjson.dumps(item), f"item {appeal_id} has no modified time", appeal_id)
        else:
            ids.append(appeal_id)
            versions.append(modified)
            good.append(item)
    builder.add_many(ids, versions, serialise_each(good))
    withdrawn_at = utc_stamp(fetched_at)
    for appeal_id in deleted:
        if isinstance(appeal_id, str) and appeal_id:
            builder.add(appeal_id, withdrawn_at, orjson.dumps({"id": appeal_id, "_deleted": True}))
        else:
            builder.quarantine(orjson.dumps(appeal_id), "deleted entry is not an id")
    return builder


def _usable_token(cursor: dict[str, Any] | None) -> str | None:
    """The stored token, unless it is too old to be accepted: then a full sync (None)."""
    token, issued_at = (cursor or {}).get("next_token"), (cursor or {}).get("issued_at")
    if not token or not issued_at:
        return None
    age = datetime.now(UTC) - datetime.fromisoformat(issued_at)
    return token if age < TOKEN_LIFETIME else None
