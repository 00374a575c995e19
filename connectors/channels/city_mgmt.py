"""city_mgmt: 掌上城管 / 数字化城管 cases (feeds/city_mgmt.md).

API key header; windows on `lastModified` in epoch ms, half-open, at most 24 hours; offset
pages where a row modified while paging moves to the end, walked by keyset restarts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from typing import Any, ClassVar

import orjson
import requests

from connectors.core.batch import Batch, BatchBuilder, serialise_each
from connectors.core.channel import Connector, Setting
from connectors.core.errors import ConfigurationError, FeedError
from connectors.core.http import FeedSession, RetryableAnswer, response_json
from connectors.core.pagination import KeysetOffsetPaginator
from connectors.core.window import DateWindow

PAGE_SIZE = 200
MAX_WINDOW = timedelta(hours=24)


class CityMgmtConnector(Connector):
    key: ClassVar[str] = "city_mgmt"
    title: ClassVar[str] = "掌上城管 / 数字化城管"
    windowed: ClassVar[bool] = True
    settings: ClassVar[tuple[Setting, ...]] = (
        Setting("CITY_MGMT_BASE_URL", "http://127.0.0.1:18102"),
        Setting("CITY_MGMT_API_KEY", "sim-api-key", secret=True),
    )
    expected_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "caseId", "reportTime", "lastModified", "source", "reporterMobile", "eventClass", "description",
            "address", "lng", "lat", "gridCode", "photos", "state", "handleUnit", "deadline", "closeTime",
        }
    )  # fmt: skip

    def fetch_pages(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        if window is None:
            raise ValueError("city_mgmt is pulled by window")
        self._url = f"{self.base_url('CITY_MGMT_BASE_URL')}/openapi/cases"
        self._headers = {"X-Api-Key": self.setting("CITY_MGMT_API_KEY")}
        self._http = FeedSession(self.key, "CITY_MGMT_BASE_URL", self.policy)
        high_water = (cursor or {}).get("max_last_modified")
        try:
            for lower, upper in window.chunks(MAX_WINDOW):
                paginator = KeysetOffsetPaginator(
                    partial(self._page, end=_epoch_ms(upper)),
                    start=_epoch_ms(lower),
                    limit=PAGE_SIZE,
                    key=_last_modified,
                    identity=_identity,
                )
                for rows in paginator.pages():
                    if not rows:
                        continue
                    high_water = max([high_water or 0, *(m for m in map(_last_modified, rows) if m is not None)])
                    yield self._parse(rows).build(cursor={"max_last_modified": high_water})
        finally:
            self._http.close()

    def _page(self, start: int, offset: int, *, end: int) -> list[Any]:
        params = {"startTime": start, "endTime": end, "offset": offset, "limit": PAGE_SIZE}
        response = self._http.get(self._url, params=params, headers=self._headers, check=self._check)
        return response_json(response).get("rows") or []

    def _check(self, response: requests.Response) -> None:
        if response.status_code == 403:
            raise ConfigurationError(
                self.key, "CITY_MGMT_API_KEY", "the feed refused the API key (403)", "is it the key for this feed?"
            )
        if response.status_code != 200:
            raise FeedError(self.key, f"unexpected HTTP {response.status_code}: {response.text[:200]}")
        body = response_json(response)
        if not isinstance(body, dict):
            raise RetryableAnswer("answer is not a JSON object")
        if body.get("success") is True:
            return
        code, message = body.get("errorCode"), body.get("message", "")
        if code == "SYS_BUSY":
            raise RetryableAnswer(f"SYS_BUSY: {message}")
        raise FeedError(self.key, f"{code}: {message} (a request the feed rejects: a bug)")

    def _parse(self, rows: list[Any]) -> BatchBuilder:
        builder = BatchBuilder()
        ids, versions, good = [], [], []
        for row in rows:
            case_id = row.get("caseId") if isinstance(row, dict) else None
            modified = _last_modified(row)
            if not isinstance(case_id, str) or not case_id:
                builder.quarantine(orjson.dumps(row), "case without a caseId")
            elif modified is None:
                builder.quarantine(orjson.dumps(row), f"case {case_id} has no integer lastModified", case_id)
            else:
                ids.append(case_id)
                versions.append(f"{modified:015d}")
                good.append(row)
        builder.add_many(ids, versions, serialise_each(good))
        return builder


def _last_modified(row: Any) -> int | None:
    value = row.get("lastModified") if isinstance(row, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _identity(row: Any) -> Any:
    """(caseId, lastModified): the same case modified later is a new version, not a repeat."""
    return (row.get("caseId"), row.get("lastModified")) if isinstance(row, dict) else orjson.dumps(row)


def _epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
