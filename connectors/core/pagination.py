"""Paginators: one small class per pagination style the feeds use.

A paginator knows how to walk one listing; the channel supplies `fetch_page`, which sends
one request and returns the page's items with whatever the style needs to go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterator
from typing import Any

log = logging.getLogger(__name__)


class PageTokenExpired(Exception):
    """The feed no longer accepts the page token: the listing must start again from page one."""


class TokenPaginator:
    """Follows an opaque `next_page_token` until it is null (hotline).

    An expired token restarts the listing from its first page; landing is idempotent, so
    pages seen twice add nothing. Restarts are bounded so a feed that always expires fails.
    """

    def __init__(self, fetch_page: Callable[[str | None], tuple[list[Any], str | None]], max_restarts: int = 3) -> None:
        self.fetch_page = fetch_page
        self.max_restarts = max_restarts
        self.restarts = 0

    def pages(self) -> Iterator[list[Any]]:
        token: str | None = None
        while True:
            try:
                items, token = self.fetch_page(token)
            except PageTokenExpired:
                if self.restarts >= self.max_restarts:
                    raise
                self.restarts += 1
                log.info("page token refused: listing started again from its first page")
                token = None
                continue
            yield items
            if token is None:
                return


class KeysetOffsetPaginator:
    """Offset pages over rows ordered by (key, id), where a row modified while paging moves to the end (city_mgmt).

    A plain offset walk can then skip a row and repeat another. Every page therefore restarts
    from the greatest key seen (keyset) at offset 0, and rows already seen are dropped by their
    identity (id, key). Only when a whole page shares the restart key does the offset advance
    within that key, so a run of more than `limit` equal keys still makes progress.
    """

    def __init__(
        self,
        fetch_page: Callable[[int, int], list[Any]],
        *,
        start: int,
        limit: int,
        key: Callable[[Any], int | None],
        identity: Callable[[Any], Hashable],
    ) -> None:
        self.fetch_page = fetch_page
        self.start = start
        self.limit = limit
        self.key = key
        self.identity = identity
        self.n_repeats = 0

    def pages(self) -> Iterator[list[Any]]:
        seen: set[Hashable] = set()
        restart, offset = self.start, 0
        while True:
            rows = self.fetch_page(restart, offset)
            fresh = _unseen(rows, self.identity, seen)
            self.n_repeats += len(rows) - len(fresh)
            yield fresh
            if len(rows) < self.limit:
                return
            last = self.key(rows[-1])
            if last is None or last <= restart:
                offset += len(rows)
            else:
                restart, offset = last, 0


class PageNumberPaginator:
    """Numbered pages, newest first, where items posted while paging push older ones down (wenzheng).

    A later page can then repeat the tail of an earlier one (never skip one): items already seen
    in this listing are dropped by identity. The walk ends at the last page the latest answer
    reports, since `pages` grows while new items arrive.
    """

    def __init__(self, fetch_page: Callable[[int], tuple[list[Any], int]], identity: Callable[[Any], Hashable]) -> None:
        self.fetch_page = fetch_page
        self.identity = identity
        self.n_repeats = 0

    def pages(self) -> Iterator[list[Any]]:
        seen: set[Hashable] = set()
        page = 1
        while True:
            items, n_pages = self.fetch_page(page)
            fresh = _unseen(items, self.identity, seen)
            self.n_repeats += len(items) - len(fresh)
            yield fresh
            if not items or page >= n_pages:
                return
            page += 1


class SinceIdPaginator:
    """Items with ids above `since_id`, ascending, until an empty answer (opinion).

    `fetch_page(since_id)` returns the page (None for an empty answer) and the greatest id on it
    (None if no line showed one). Ids are 64-bit decimal strings: compared as int, never float.
    """

    def __init__(self, fetch_page: Callable[[str | None], tuple[Any, str | None]], since_id: str | None) -> None:
        self.fetch_page = fetch_page
        self.since_id = since_id

    def pages(self) -> Iterator[tuple[Any, str | None]]:
        since_id = self.since_id
        while True:
            page, last_id = self.fetch_page(since_id)
            if page is None:
                return
            if last_id is not None and since_id is not None and int(last_id) <= int(since_id):
                last_id = None  # a feed going backwards must not move the cursor back
            yield page, last_id or since_id
            if last_id is None:
                return  # no id to go on from: stop rather than ask for the same page forever
            since_id = last_id


class SyncTokenPaginator:
    """Follows `next_token` while `has_more`; the last token is the cursor for the next sync (minsheng).

    An expired token (PageTokenExpired) means a full sync from no token; landing is idempotent,
    so what comes again adds nothing. Restarts are bounded so a feed that always expires fails.
    """

    def __init__(
        self,
        fetch_page: Callable[[str | None], tuple[Any, str, bool]],
        token: str | None,
        max_restarts: int = 3,
    ) -> None:
        self.fetch_page = fetch_page
        self.token = token
        self.max_restarts = max_restarts
        self.restarts = 0

    def pages(self) -> Iterator[tuple[Any, str]]:
        token = self.token
        while True:
            try:
                page, next_token, has_more = self.fetch_page(token)
            except PageTokenExpired:
                if token is None or self.restarts >= self.max_restarts:
                    raise
                self.restarts += 1
                log.info("sync token refused as expired: full sync from no token (%d)", self.restarts)
                token = None
                continue
            yield page, next_token
            if not has_more:
                return
            token = next_token


def _unseen(items: list[Any], identity: Callable[[Any], Hashable], seen: set[Hashable]) -> list[Any]:
    fresh = []
    for item in items:
        ident = identity(item)
        if ident not in seen:
            seen.add(ident)
            fresh.append(item)
    return fresh
