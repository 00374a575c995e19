"""民声通道 server (feeds/minsheng.md): HMAC-signed requests under a path prefix, sync tokens that
expire 24 h (simulated) after issue, withdrawn appeals as ids in `deleted`.

A sync returns every record whose current version is newer than the token's position, in
(modified, id) order; a record withdrawn by then shows only as its id, even if no earlier sync
ever saw it.

The `sync_token_expired` fault (a vendor expiring tokens early) refuses only a token issued before
the clock last ticked (or by another server process): never one this server handed out since, so
a sync that pages at one clock is not cut short, as no real expiry would cut it.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time

from simulator.clock import DAY_MS, SimClock
from simulator.feeds.http import Request, Response, json_response
from simulator.feeds.tokens import TokenError, TokenSigner
from simulator.store import StoreReader

MAX_SKEW_S = 300
TOKEN_TTL_MS = DAY_MS
CHANGED_SINCE = """
    select v.valid_from_ms, r.record_id, r.base, r.patches
    from versions v join records r on r.channel = v.channel and r.record_id = v.record_id
    where v.channel = 'minsheng' and v.valid_from_ms <= ? and v.valid_until_ms > ?
      and (v.valid_from_ms, v.record_id) > (?, ?)
    order by v.valid_from_ms, v.record_id limit ?"""


def signature(secret: str, path: str, query: str, timestamp: str) -> str:
    message = f"GET\n{path}\n{query}\n{timestamp}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class MinshengApp:
    channel = "minsheng"

    def __init__(self, store: StoreReader, clock: SimClock, app_id: str, secret: str, prefix: str) -> None:
        self.store, self.clock, self.app_id, self.secret, self.prefix = store, clock, app_id, secret, prefix
        self._signer = TokenSigner(f"minsheng-sync:{secret}")
        self._fresh: set[str] = set()  # tokens issued since the clock last ticked
        self._fresh_tick = clock.ticks()
        self._lock = threading.Lock()

    def _signed(self, request: Request) -> bool:
        timestamp = request.headers.get("x-timestamp", "")
        if request.headers.get("x-app-id") != self.app_id or not timestamp.isdigit():
            return False
        if abs(time.time() - int(timestamp)) > MAX_SKEW_S:
            return False
        expected = signature(self.secret, request.path, request.query, timestamp)
        return hmac.compare_digest(expected, request.headers.get("x-signature", ""))

    def handle(self, request: Request) -> Response:
        if request.path != f"{self.prefix}/v1/sync" or request.method != "GET":
            return json_response(404, {"error": "not_found"})
        if not self._signed(request):
            return json_response(401, {"error": "bad_signature"})
        try:
            limit = int(request.params.get("limit") or 100)
        except ValueError:
            return json_response(400, {"error": "bad_limit"})
        if not 1 <= limit <= 500:
            return json_response(400, {"error": "bad_limit"})
        now = self.clock.now_ms()
        position: tuple[int, str] = (-1, "")
        if request.params.get("token"):
            try:
                payload = self._signer.read(request.params["token"])
                at_ms, record_id, issued_ms = payload  # type: ignore[misc]
                position = (int(at_ms), str(record_id))
            except (TokenError, TypeError, ValueError):
                return json_response(400, {"error": "bad_token"})
            if now - int(issued_ms) > TOKEN_TTL_MS:
                return json_response(410, {"error": "token_expired"})
            if request.fault == "sync_token_expired" and not self._issued_this_tick(request.params["token"]):
                return json_response(410, {"error": "token_expired"})
        rows = self.store.rows(CHANGED_SINCE, (now, now, *position, limit + 1))
        items, deleted = [], []
        for at_ms, record_id, base, patches in rows[:limit]:
            appeal = StoreReader.decode(base, patches, now)
            if appeal.pop("_deleted", False):
                deleted.append(record_id)
            else:
                items.append(appeal)
            position = (at_ms, record_id)
        next_token = self._signer.issue([position[0], position[1], now])
        self._issued_this_tick(next_token, issue=True)
        return json_response(
            200, {"items": items, "deleted": deleted, "next_token": next_token, "has_more": len(rows) > limit}
        )

    def _issued_this_tick(self, token: str, issue: bool = False) -> bool:
        """Whether this server issued `token` since the clock last ticked (and remember it, on issue)."""
        with self._lock:
            tick = self.clock.ticks()
            if tick != self._fresh_tick:
                self._fresh.clear()
                self._fresh_tick = tick
            if issue:
                self._fresh.add(token)
            return token in self._fresh
