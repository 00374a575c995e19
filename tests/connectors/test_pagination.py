"""The paginators against in-memory listings that misbehave the way the contracts say they do."""

from __future__ import annotations

import pytest

from connectors.core.pagination import (
    KeysetOffsetPaginator,
    PageNumberPaginator,
    PageTokenExpired,
    SinceIdPaginator,
    SyncTokenPaginator,
)


class MovingListing:
    """city_mgmt-style rows ordered by (lastModified, caseId); `touch` moves a row to the end."""

    def __init__(self, n: int) -> None:
        self.rows = {f"CG{i:03d}": 1000 + i // 3 for i in range(n)}  # runs of equal keys
        self.clock = 5000

    def touch(self, case_id: str) -> None:
        self.clock += 1
        self.rows[case_id] = self.clock

    def page(self, start: int, offset: int, limit: int) -> list[dict]:
        ordered = sorted((m, c) for c, m in self.rows.items() if m >= start)
        return [{"caseId": c, "lastModified": m} for m, c in ordered[offset : offset + limit]]


def test_keyset_restarts_lose_no_row_and_double_none_when_rows_move_while_paging():
    listing = MovingListing(50)
    calls = []

    def fetch(start: int, offset: int) -> list[dict]:
        calls.append((start, offset))
        if len(calls) == 3:  # between pages, rows already seen and not yet seen are modified
            listing.touch("CG001")
            listing.touch("CG030")
        return listing.page(start, offset, 7)

    paginator = KeysetOffsetPaginator(
        fetch, start=0, limit=7, key=lambda r: r["lastModified"], identity=lambda r: (r["caseId"], r["lastModified"])
    )
    seen = [(r["caseId"], r["lastModified"]) for page in paginator.pages() for r in page]
    assert len(seen) == len(set(seen))
    assert {c for c, _ in seen} == set(listing.rows)  # every case, none skipped
    assert ("CG001", listing.rows["CG001"]) in seen and ("CG030", listing.rows["CG030"]) in seen


def test_keyset_walk_advances_through_a_run_of_equal_keys_longer_than_a_page():
    rows = [{"caseId": f"CG{i:03d}", "lastModified": 7} for i in range(25)]
    paginator = KeysetOffsetPaginator(
        lambda start, offset: [r for r in rows if r["lastModified"] >= start][offset : offset + 10],
        start=0,
        limit=10,
        key=lambda r: r["lastModified"],
        identity=lambda r: r["caseId"],
    )
    assert [r["caseId"] for page in paginator.pages() for r in page] == [r["caseId"] for r in rows]


def test_page_numbers_drop_tails_repeated_when_new_items_push_older_ones_down():
    items = list(range(100, 0, -1))  # newest first

    def fetch(page: int) -> tuple[list[int], int]:
        if page == 2:
            items[:0] = [102, 101]  # two new posts push everything down by two
        return items[(page - 1) * 10 : page * 10], -(-len(items) // 10)

    paginator = PageNumberPaginator(fetch, identity=lambda item: item)
    seen = [item for page in paginator.pages() for item in page]
    assert sorted(seen) == list(range(1, 101))  # the new posts are on page 1 now: the next pull gets them
    assert paginator.n_repeats == 2


def test_since_ids_are_compared_as_64_bit_integers_not_floats():
    big = 9223372036854775000
    pages = {None: ([1], str(big)), str(big): ([2], str(big + 1)), str(big + 1): (None, None)}
    asked = []

    def fetch(since_id):
        asked.append(since_id)
        return pages[since_id]

    assert [last for _, last in SinceIdPaginator(fetch, None).pages()] == [str(big), str(big + 1)]
    assert asked == [None, "9223372036854775000", "9223372036854775001"]  # a float would have merged these


def test_an_expired_sync_token_restarts_a_full_sync_from_no_token():
    asked = []

    def fetch(token):
        asked.append(token)
        if token == "old":
            raise PageTokenExpired("410")
        return ["page"], f"t{len(asked)}", token is None

    pages = list(SyncTokenPaginator(fetch, "old").pages())
    assert asked == ["old", None, "t2"]
    assert pages[-1][1] == "t3"


def test_a_sync_that_keeps_expiring_gives_up():
    def fetch(token):
        raise PageTokenExpired("410")

    with pytest.raises(PageTokenExpired):
        list(SyncTokenPaginator(fetch, "old", max_restarts=2).pages())
