"""opinion: 舆情监测 public-opinion mentions (feeds/opinion.md).

NDJSON after a `since_id` (a 64-bit id sent as a string), token header, an empty body when
nothing is newer. A truncated or invalid line is quarantined; its id, read from the line
start, still moves the cursor past it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import orjson
import requests

from connectors.core.batch import Batch, BatchBuilder
from connectors.core.channel import Connector, Setting
from connectors.core.errors import ConfigurationError, FeedError
from connectors.core.http import FeedSession
from connectors.core.pagination import SinceIdPaginator
from connectors.core.window import DateWindow

PAGE_SIZE = 1000
# Every line starts with its id: even a truncated line shows it. Never through a float.
_LINE_ID = re.compile(rb'^\s*\{\s*"id"\s*:\s*"(\d{1,19})"')


class OpinionConnector(Connector):
    key: ClassVar[str] = "opinion"
    title: ClassVar[str] = "舆情监测"
    windowed: ClassVar[bool] = False
    settings: ClassVar[tuple[Setting, ...]] = (
        Setting("OPINION_BASE_URL", "http://127.0.0.1:18104"),
        Setting("OPINION_TOKEN", "sim-token", secret=True),
    )
    expected_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "id", "platform", "url", "author", "published_at", "title", "text", "geo_hint", "sentiment",
            "metrics", "repost_of", "keywords",
        }
    )  # fmt: skip

    def fetch_pages(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        self._url = f"{self.base_url('OPINION_BASE_URL')}/v1/mentions"
        self._headers = {"Authorization": f"Token {self.setting('OPINION_TOKEN')}"}
        self._http = FeedSession(self.key, "OPINION_BASE_URL", self.policy)
        try:
            for builder, last_id in SinceIdPaginator(self._page, (cursor or {}).get("since_id")).pages():
                yield builder.build(cursor={"since_id": last_id} if last_id else None)
        finally:
            self._http.close()

    def _page(self, since_id: str | None) -> tuple[BatchBuilder | None, str | None]:
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if since_id is not None:
            params["since_id"] = since_id
        response = self._http.get(self._url, params=params, headers=self._headers, check=self._check)
        return parse_mentions(response.content, since_id)

    def _check(self, response: requests.Response) -> None:
        if response.status_code == 401:
            raise ConfigurationError(
                self.key, "OPINION_TOKEN", "the feed refused the token (401)", "is it the token issued for this feed?"
            )
        if response.status_code != 200:
            raise FeedError(self.key, f"unexpected HTTP {response.status_code}: {response.text[:200]}")


def parse_mentions(body: bytes, since_id: str | None) -> tuple[BatchBuilder | None, str | None]:
    """Land each line's exact text; quarantine lines that are not a JSON object with that id.

    Returns the builder (None for an empty body: nothing newer) and the greatest id seen.
    """
    builder = BatchBuilder()
    floor = int(since_id) if since_id is not None else -1
    last = floor
    for line in body.split(b"\n"):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        match = _LINE_ID.match(line)
        line_id = match.group(1).decode() if match else None
        if line_id is not None:
            last = max(last, int(line_id))
        problem, published_at = _validate(line, line_id)
        if problem is None:
            builder.add(line_id, published_at, line)  # valid UTF-8: orjson accepted it
        else:
            builder.quarantine(line, problem, line_id)
    if not len(builder):
        return None, None
    return builder, (str(last) if last > floor else None)


def _validate(line: bytes, line_id: str | None) -> tuple[str | None, str | None]:
    """(problem, published_at): problem is None for a well-formed mention."""
    try:
        mention = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return f"invalid JSON line ({exc})", None
    if not isinstance(mention, dict):
        return "line is not a JSON object", None
    if line_id is None or mention.get("id") != line_id:
        return "line does not start with its string id", None
    published_at = mention.get("published_at")
    return None, published_at if isinstance(published_at, str) else None
