"""12345 hotline server (feeds/hotline.md): OAuth2 client credentials, business codes in HTTP 200,
`updated_at` windows of at most 7 days, opaque page tokens valid 10 minutes and bound to a window."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import timedelta
from urllib.parse import parse_qsl

from simulator.clock import SimClock, parse_local
from simulator.feeds.http import Request, Response, json_response
from simulator.feeds.paging import current_version_counts
from simulator.feeds.tokens import TokenError, TokenSigner
from simulator.store import StoreReader

ACCESS_TOKEN_TTL_S = 3600
PAGE_TOKEN_TTL_S = 600
MAX_WINDOW_MS = int(timedelta(days=7).total_seconds() * 1000)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
CURRENT_IN_WINDOW = """
    from versions v join records r on r.channel = v.channel and r.record_id = v.record_id
    where v.channel = 'hotline' and v.valid_from_ms >= ? and v.valid_from_ms < ?
      and v.valid_from_ms <= ? and v.valid_until_ms > ?"""


def business_error(code: int, msg: str) -> Response:
    return json_response(200, {"code": code, "msg": msg, "data": None})


class HotlineApp:
    channel = "hotline"

    def __init__(self, store: StoreReader, clock: SimClock, client_id: str, client_secret: str) -> None:
        self.store, self.clock = store, clock
        self.client_id, self.client_secret = client_id, client_secret
        self.page_token_ttl_s = PAGE_TOKEN_TTL_S
        self.access_token_ttl_s = ACCESS_TOKEN_TTL_S
        self._signer = TokenSigner(f"hotline-pages:{client_secret}")
        self._access: dict[str, float] = {}  # token -> wall time issued
        self._pages: dict[str, float] = {}  # page token -> wall time issued
        self._issued = 0
        self._lock = threading.Lock()
        self._totals = current_version_counts(store, self.channel)

    def handle(self, request: Request) -> Response:
        if request.path == "/oauth/token" and request.method == "POST":
            return self._token(request)
        if request.path == "/api/v2/workorders" and request.method == "GET":
            return self._workorders(request)
        return json_response(404, {"error": "not_found"})

    def _token(self, request: Request) -> Response:
        form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
        if form.get("grant_type") != "client_credentials":
            return json_response(400, {"error": "unsupported_grant_type"})
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return json_response(401, {"error": "invalid_client"})
        with self._lock:
            self._issued += 1
            token = hashlib.sha256(f"{self.client_secret}:{self._issued}".encode()).hexdigest()
            self._access[token] = time.time()
        return json_response(
            200, {"access_token": token, "token_type": "Bearer", "expires_in": self.access_token_ttl_s}
        )

    def _authorised(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        with self._lock:
            issued = self._access.get(token)
            if scheme != "Bearer" or issued is None:
                return False
            if time.time() - issued > self.access_token_ttl_s or request.fault == "token_expired":
                del self._access[token]  # revoked: the client must fetch a new one
                return False
        return True

    def _workorders(self, request: Request) -> Response:
        if not self._authorised(request):
            return business_error(40101, "access token expired or invalid")
        if request.fault == "hotline_42901":
            return business_error(42901, "rate limited")
        if request.fault == "hotline_50001":
            return business_error(50001, "internal error")
        p = request.params
        try:
            lower = parse_local(p["updated_from"], TIME_FORMAT)
            upper = parse_local(p["updated_to"], TIME_FORMAT)
            page_size = int(p.get("page_size") or 100)
        except (KeyError, ValueError):
            return business_error(40001, "bad parameter: updated_from/updated_to/page_size")
        if not lower < upper or upper - lower > MAX_WINDOW_MS:
            return business_error(40001, "bad parameter: window must be positive and at most 7 days")
        if not 1 <= page_size <= 500:
            return business_error(40001, "bad parameter: page_size must be 1..500")
        after: tuple[int, str] = (-1, "")
        if p.get("page_token"):
            try:
                after = self._read_page_token(p["page_token"], lower, upper)
            except TokenError as error:
                return business_error(40002, f"page token invalid: {error}")
        return self._page(lower, upper, page_size, after)

    def _page(self, lower: int, upper: int, page_size: int, after: tuple[int, str]) -> Response:
        now = self.clock.now_ms()
        total = self._totals.count(lower, upper, now)
        rows = self.store.rows(  # the seek is the scan's lower bound (beside the window's, SQLite used that)
            "select v.valid_from_ms, r.record_id, r.base, r.patches"
            + CURRENT_IN_WINDOW
            + " and (v.valid_from_ms, v.record_id) > (?, ?) order by v.valid_from_ms, v.record_id limit ?",
            (max(lower, after[0]), upper, now, now, *after, page_size + 1),
        )
        items = [StoreReader.decode(base, patches, now) for _, _, base, patches in rows[:page_size]]
        next_token = None
        if len(rows) > page_size:
            last_ms, last_id = rows[page_size - 1][0], rows[page_size - 1][1]
            next_token = self._signer.issue([lower, upper, last_ms, last_id])
            with self._lock:
                self._pages[next_token] = time.time()
        data = {"total": total, "next_page_token": next_token, "items": items}
        return json_response(200, {"code": 0, "msg": "success", "data": data})

    def _read_page_token(self, token: str, lower: int, upper: int) -> tuple[int, str]:
        payload = self._signer.read(token)
        with self._lock:
            issued = self._pages.get(token)
        if issued is None:
            raise TokenError("unknown token")
        if time.time() - issued > self.page_token_ttl_s:
            raise TokenError("expired")
        if not isinstance(payload, list) or len(payload) != 4 or payload[:2] != [lower, upper]:
            raise TokenError("token belongs to another window")
        return int(payload[2]), str(payload[3])
