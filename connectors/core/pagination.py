"""Paginators: one small class per pagination style the feeds use.

A paginator knows how to walk one listing; the channel supplies `fetch_page`, which sends
one request and returns the page's items with whatever the style needs to go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


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
                token = None
                continue
            yield items
            if token is None:
                return
