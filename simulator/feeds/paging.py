"""What keeps a request's cost flat however large the window or the world: totals counted once per
bucket and clock, and offsets turned into keyset seeks.

The world on disk never changes and every answer is a function of (request, clock), so both caches
are exact: a cached count or page start is what the full query would find again. A new clock value
starts afresh (drift between pages, the contracts' quirk, still happens when the clock moves).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from simulator.store import StoreReader

CLOCKS_KEPT = 4  # clock values whose counts are kept (a client pages at one clock at a time)
LISTINGS_KEPT = 256  # listings (window and clock) whose page starts are kept
MAX_BUCKETS = 4096  # a wider window (wenzheng's dates are unbounded) is counted directly, not cached


class BucketCounts:
    """How many rows fall in [lower, upper) as of a clock, from counts cached per fixed bucket.

    `count_sql` counts the rows in [:lower, :upper) as of :now; `bucket_sql` returns
    (bucket number, count) for every non-empty bucket of [:lower, :upper), where a bucket is
    (position - :origin) / :width. Only the partial buckets at a window's ends are counted on each
    request; whole buckets are counted once per clock, all missing ones in one grouped query.
    """

    def __init__(self, store: StoreReader, count_sql: str, bucket_sql: str, width: int, origin: int = 0) -> None:
        self.store, self.count_sql, self.bucket_sql = store, count_sql, bucket_sql
        self.width, self.origin = width, origin
        self._clocks: OrderedDict[int, dict[int, int]] = OrderedDict()
        self._lock = threading.Lock()

    def count(self, lower: int, upper: int, now: int) -> int:
        width, origin = self.width, self.origin
        first = -(-(lower - origin) // width)  # first whole bucket
        last = (upper - origin) // width  # one past the last whole bucket
        if first >= last or last - first > MAX_BUCKETS:
            return self._scan(lower, upper, now)
        edges = self._scan(lower, origin + first * width, now) + self._scan(origin + last * width, upper, now)
        buckets = self._buckets(now)
        missing = [b for b in range(first, last) if b not in buckets]
        if missing:
            params = {"lower": origin + missing[0] * width, "upper": origin + (missing[-1] + 1) * width, "now": now}
            found = dict(self.store.rows(self.bucket_sql, {**params, "origin": origin, "width": width}))
            with self._lock:
                buckets.update({b: found.get(b, 0) for b in range(missing[0], missing[-1] + 1)})
        return edges + sum(buckets[b] for b in range(first, last))

    def _scan(self, lower: int, upper: int, now: int) -> int:
        if lower >= upper:
            return 0
        return self.store.one(self.count_sql, {"lower": lower, "upper": upper, "now": now})[0]

    def _buckets(self, now: int) -> dict[int, int]:
        with self._lock:
            buckets = self._clocks.get(now)
            if buckets is None:
                buckets = self._clocks[now] = {}
                while len(self._clocks) > CLOCKS_KEPT:
                    self._clocks.popitem(last=False)
            else:
                self._clocks.move_to_end(now)
            return buckets


class PageStarts:
    """Where offset N of a listing starts: the sort key of the row just before it, learnt from the
    pages already served, so the next page is a keyset seek rather than a walk over N rows.

    A listing is whatever fixes the order and the rows (window, clock). `nearest` gives the largest
    known offset not above the one asked for, with its key (None: the listing's beginning).
    """

    def __init__(self) -> None:
        self._listings: OrderedDict[Hashable, dict[int, tuple]] = OrderedDict()
        self._lock = threading.Lock()

    def nearest(self, listing: Hashable, offset: int) -> tuple[int, tuple | None]:
        with self._lock:
            starts = self._listings.get(listing)
            if not starts:
                return 0, None
            self._listings.move_to_end(listing)
            if offset in starts:
                return offset, starts[offset]
            known = max((o for o in starts if o <= offset), default=0)
            return known, starts.get(known)

    def remember(self, listing: Hashable, offset: int, key: tuple) -> None:
        with self._lock:
            starts = self._listings.get(listing)
            if starts is None:
                starts = self._listings[listing] = {}
                while len(self._listings) > LISTINGS_KEPT:
                    self._listings.popitem(last=False)
            starts[offset] = key


def current_version_counts(store: StoreReader, channel: str, width: int = 600_000) -> BucketCounts:
    """Records of `channel` whose version current at :now started in [:lower, :upper), per 10 minutes."""
    where = (
        f"from versions where channel = '{channel}' and valid_from_ms >= :lower and valid_from_ms < :upper"
        " and valid_from_ms <= :now and valid_until_ms > :now"
    )
    grouped = f"select (valid_from_ms - :origin) / :width, count(*) {where} group by 1"
    return BucketCounts(store, f"select count(*) {where}", grouped, width)
