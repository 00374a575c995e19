"""Pages merged into large batches for landing keep the cursor of their last page."""

from __future__ import annotations

from connectors.core.batch import BatchBuilder, coalesce


def page(n: int, cursor: dict | None, start: int = 0):
    builder = BatchBuilder()
    for i in range(start, start + n):
        builder.add(str(i), None, "{}")
    builder.quarantine(b"x", "bad")
    return builder.build(cursor=cursor)


def test_merged_batches_hold_every_row_and_the_cursor_of_their_last_page():
    pages = [page(10, {"p": 1}, 0), page(10, {"p": 2}, 10), page(10, None, 20), page(10, {"p": 4}, 30)]
    merged = list(coalesce(pages, min_rows=20))
    assert [b.records.num_rows for b in merged] == [20, 20]
    assert [b.quarantined.num_rows for b in merged] == [2, 2]
    assert [b.cursor for b in merged] == [{"p": 2}, {"p": 4}]


def test_a_merged_batch_whose_parts_have_no_cursor_leaves_the_cursor_unchanged():
    merged = list(coalesce([page(1, None), page(1, None)], min_rows=100))
    assert len(merged) == 1 and merged[0].cursor is None and merged[0].n_fetched == 4
