"""hotline: 12345 市民服务热线 work orders (feeds/hotline.md).

OAuth2 client credentials; windows on `updated_at`, half-open, local time, at most 7 days;
opaque page tokens; business codes inside HTTP 200.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, ClassVar

import orjson
import requests

from connectors.core.batch import Batch, BatchBuilder, serialise_each
from connectors.core.channel import Connector, Setting
from connectors.core.errors import ConfigurationError, FeedError
from connectors.core.http import FeedSession, RetryableAnswer, response_json
from connectors.core.pagination import PageTokenExpired, TokenPaginator
from connectors.core.window import DateWindow

PAGE_SIZE = 500
MAX_WINDOW = timedelta(days=7)
LOCAL_FORMAT = "%Y-%m-%dT%H:%M:%S"


class HotlineConnector(Connector):
    key: ClassVar[str] = "hotline"
    title: ClassVar[str] = "12345 市民服务热线"
    windowed: ClassVar[bool] = True
    settings: ClassVar[tuple[Setting, ...]] = (
        Setting("HOTLINE_BASE_URL", "http://127.0.0.1:18101"),
        Setting("HOTLINE_CLIENT_ID", "zhihui-sim"),
        Setting("HOTLINE_CLIENT_SECRET", "sim-secret", secret=True),
    )
    expected_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "order_no", "version", "call_time", "updated_at", "caller_phone", "caller_name", "appeal_type",
            "category", "content", "district", "street", "address", "dept", "status", "dispatched_at",
            "finished_at", "visited_at", "deadline", "resolved", "satisfaction", "merged_into",
        }
    )  # fmt: skip

    def fetch_pages(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        if window is None:
            raise ValueError("hotline is pulled by window")
        self._url = self.base_url("HOTLINE_BASE_URL")
        self._http = FeedSession(self.key, "HOTLINE_BASE_URL", self.policy)
        self._token: str | None = None
        high_water = (cursor or {}).get("max_updated_at")
        try:
            for lower, upper in window.chunks(MAX_WINDOW):
                paginator = TokenPaginator(lambda token, lo=lower, up=upper: self._page(lo, up, token))
                for items in paginator.pages():
                    batch = self._parse(items)
                    high_water = max([high_water or "", *self._updated_ats(items)]) or None
                    yield batch.build(cursor={"max_updated_at": high_water})
        finally:
            self._http.close()

    def _page(self, lower, upper, token: str | None) -> tuple[list[Any], str | None]:
        params = {
            "updated_from": lower.strftime(LOCAL_FORMAT),
            "updated_to": upper.strftime(LOCAL_FORMAT),
            "page_size": PAGE_SIZE,
        }
        if token is not None:
            params["page_token"] = token  # requests URL-encodes + / = in tokens
        response = self._http.get(
            f"{self._url}/api/v2/workorders", params=params, headers=self._auth_header, check=self._check
        )
        data = response_json(response)["data"]
        return data.get("items") or [], data.get("next_page_token")

    def _auth_header(self) -> dict[str, str]:
        if self._token is None:
            self._token = self._new_token()
        return {"Authorization": f"Bearer {self._token}"}

    def _new_token(self) -> str:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.setting("HOTLINE_CLIENT_ID"),
            "client_secret": self.setting("HOTLINE_CLIENT_SECRET"),
        }
        response = self._http.post(f"{self._url}/oauth/token", data=form)
        if response.status_code == 401:
            raise ConfigurationError(
                self.key,
                "HOTLINE_CLIENT_ID / HOTLINE_CLIENT_SECRET",
                "the token endpoint refused the client credentials",
                "are the id and secret those issued for this endpoint?",
            )
        if response.status_code != 200:
            raise FeedError(self.key, f"token endpoint answered HTTP {response.status_code}")
        return response.json()["access_token"]

    def _forget_token(self) -> None:
        self._token = None

    def _check(self, response: requests.Response) -> None:
        """The contract's business codes: HTTP 200 with `code` other than 0."""
        if response.status_code != 200:
            raise FeedError(self.key, f"unexpected HTTP {response.status_code}: {response.text[:200]}")
        body = response_json(response)
        if not isinstance(body, dict):
            raise RetryableAnswer("answer is not a JSON object")
        code = body.get("code")
        if code == 0:
            return
        message = body.get("msg", "")
        if code == 40101:
            raise RetryableAnswer("token expired (40101)", retry_after=0, before_retry=self._forget_token)
        if code in (42901, 50001):
            raise RetryableAnswer(f"business code {code}: {message}")
        if code == 40002:
            raise PageTokenExpired(message)
        raise FeedError(self.key, f"business code {code}: {message} (a request the feed rejects: a bug)")

    def _parse(self, items: list[Any]) -> BatchBuilder:
        builder = BatchBuilder()
        ids, versions, good = [], [], []
        for item in items:
            order_no = item.get("order_no") if isinstance(item, dict) else None
            version = item.get("version") if isinstance(item, dict) else None
            if not isinstance(order_no, str) or not order_no:
                builder.quarantine(orjson.dumps(item), "work order without an order_no")
            elif not isinstance(version, int) or isinstance(version, bool):
                builder.quarantine(orjson.dumps(item), f"work order {order_no} has no integer version", order_no)
            else:
                ids.append(order_no)
                versions.append(f"{version:010d}")
                good.append(item)
        builder.add_many(ids, versions, serialise_each(good))
        return builder

    @staticmethod
    def _updated_ats(items: list[Any]) -> list[str]:
        return [
            item["updated_at"] for item in items if isinstance(item, dict) and isinstance(item.get("updated_at"), str)
        ]
