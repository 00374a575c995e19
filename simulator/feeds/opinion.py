"""舆情 server (feeds/opinion.md): NDJSON after `since_id`, ids as 19-digit strings, 30-day retention.

Each line starts with `"id"`; the `truncated_line` fault cuts one line short (the vendor's bug),
keeping its id readable so a client can move its cursor past it.
"""

from __future__ import annotations

from simulator.clock import DAY_MS, SimClock
from simulator.faults import FaultInjector
from simulator.feeds.http import Request, Response, json_response
from simulator.store import StoreReader
from simulator.world.ids import SNOWFLAKE_EPOCH_MS

RETENTION_MS = 30 * DAY_MS
MAX_LIMIT = 1000
# The retained and published posts, by id alone: an id is (published ms - epoch) << 22 | sequence,
# so published_at (served_from_ms) within (now - retention, now] is an id range the index can seek
# (the served_from_ms terms stay: the same rows, but no walk over expired or future posts).
MENTIONS_AFTER = (
    "select base from records where channel = 'opinion' and sort_key > ? and sort_key >= ? and sort_key < ?"
    " and served_from_ms <= ? and served_from_ms > ? order by sort_key limit ?"
)


def first_id_at(ms: int) -> int:
    """The smallest snowflake id a post published at `ms` can carry."""
    return (ms - SNOWFLAKE_EPOCH_MS) << 22


class OpinionApp:
    channel = "opinion"

    def __init__(self, store: StoreReader, clock: SimClock, token: str, faults: FaultInjector | None) -> None:
        self.store, self.clock, self.token, self.faults = store, clock, token, faults

    def handle(self, request: Request) -> Response:
        if request.path != "/v1/mentions" or request.method != "GET":
            return json_response(404, {"error": "not_found"})
        if request.headers.get("authorization") != f"Token {self.token}":
            return json_response(401, {"error": "unauthorized"})
        since = request.params.get("since_id") or "0"
        try:
            limit = min(int(request.params.get("limit") or MAX_LIMIT), MAX_LIMIT)
        except ValueError:
            return json_response(400, {"error": "bad_limit"})
        if not since.isdigit() or len(since) > 19 or limit < 1:
            return json_response(400, {"error": "bad_parameter"})
        now = self.clock.now_ms()
        oldest, newest = now - RETENTION_MS, now
        rows = self.store.rows(
            MENTIONS_AFTER,
            (int(since), first_id_at(oldest + 1), first_id_at(newest + 1), newest, oldest, limit),
        )
        lines = [base for (base,) in rows]  # stored JSON, "id" first
        if request.fault == "truncated_line" and lines and self.faults is not None:
            rng = self.faults.chance()
            i = rng.randrange(len(lines))
            id_end = lines[i].index(b'","') + 1
            lines[i] = lines[i][: rng.randint(id_end + 2, max(id_end + 2, len(lines[i]) - 2))]
        body = b"".join(line + b"\n" for line in lines)
        return Response(200, body, "application/x-ndjson; charset=utf-8")
