"""What a connector hands over: one page (or file) of records as Arrow, with the cursor that follows it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import pyarrow as pa

RECORD_SCHEMA = pa.schema(
    [
        pa.field("source_record_id", pa.string(), nullable=False),
        pa.field("record_version", pa.string()),
        pa.field("payload", pa.string(), nullable=False),
    ]
)

QUARANTINE_SCHEMA = pa.schema(
    [
        pa.field("source_record_id", pa.string()),
        pa.field("raw_bytes", pa.binary(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
    ]
)


@dataclass
class Batch:
    """Records and quarantined rows of one fetch step.

    `cursor` is the channel's state once this batch is durably landed (None: unchanged). The
    connector never stores it: orchestration lands the batch and the cursor in one transaction.
    """

    records: pa.Table
    quarantined: pa.Table
    cursor: dict[str, Any] | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    note: str | None = None

    @property
    def n_fetched(self) -> int:
        return self.records.num_rows + self.quarantined.num_rows


class BatchBuilder:
    """Collects parsed records and quarantined raw bytes, then freezes them into a Batch."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._versions: list[str | None] = []
        self._payloads: list[str | bytes] = []
        self._bad: list[tuple[str | None, bytes, str]] = []

    def add(self, source_record_id: str, record_version: str | None, payload: str | bytes) -> None:
        """`payload` is JSON text; UTF-8 bytes (orjson's output) are taken as they are, without decoding."""
        self._ids.append(source_record_id)
        self._versions.append(record_version)
        self._payloads.append(payload)

    def add_many(self, source_record_ids: list[str], record_versions: list[str | None], payloads: list[bytes]) -> None:
        """Several records at once: the lists are aligned, one entry per record."""
        self._ids.extend(source_record_ids)
        self._versions.extend(record_versions)
        self._payloads.extend(payloads)

    def quarantine(self, raw: bytes | str, reason: str, source_record_id: str | None = None) -> None:
        raw_bytes = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw)
        self._bad.append((source_record_id, raw_bytes, reason))

    def __len__(self) -> int:
        return len(self._ids) + len(self._bad)

    def build(
        self, cursor: dict[str, Any] | None = None, note: str | None = None, fetched_at: datetime | None = None
    ) -> Batch:
        records = pa.Table.from_arrays(
            [
                pa.array(self._ids, pa.string()),
                pa.array(self._versions, pa.string()),
                # as binary, then one validating cast: much cheaper than decoding every payload in Python
                pa.array(self._payloads, pa.binary()).cast(pa.string()),
            ],
            schema=RECORD_SCHEMA,
        )
        ids, raws, reasons = zip(*self._bad, strict=True) if self._bad else ((), (), ())
        quarantined = pa.Table.from_arrays(
            [pa.array(ids, pa.string()), pa.array(raws, pa.binary()), pa.array(reasons, pa.string())],
            schema=QUARANTINE_SCHEMA,
        )
        batch = Batch(records=records, quarantined=quarantined, cursor=cursor, note=note)
        if fetched_at is not None:
            batch.fetched_at = fetched_at
        return batch


# Written between items by `serialise_each`. orjson never emits a raw control character (inside a
# string it is escaped as \u001e), so the separator cannot occur within an item's serialisation.
_SEPARATOR = orjson.Fragment(b"\x1e")


def serialise_each(items: list[Any]) -> list[bytes]:
    """`[orjson.dumps(item) for item in items]`, byte for byte, from one orjson call.

    One call for a whole page is several times cheaper than one per item (per-call overhead and
    one output buffer grown then shrunk per item); the output is split at separators placed
    between the items, which orjson copies verbatim as fragments and never writes itself.
    """
    if not items:
        return []
    mixed: list[Any] = [_SEPARATOR] * (2 * len(items) - 1)
    mixed[::2] = items
    return orjson.dumps(mixed)[1:-1].split(b",\x1e,")


def utc_stamp(moment: datetime) -> str:
    """A fetch time as a `record_version`: ISO 8601 UTC with `Z`, sortable as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def coalesce(batches: Iterable[Batch], min_rows: int) -> Iterator[Batch]:
    """Merge consecutive batches until each holds at least `min_rows` rows (the last may hold fewer).

    Landing a few large batches is much faster than many page-sized ones. The merged batch
    carries the cursor of its last part that had one, so the cursor stored never runs ahead
    of the rows landed with it; it keeps the earliest `fetched_at` and every note.
    """
    pending: list[Batch] = []
    n_rows = 0
    for batch in batches:
        pending.append(batch)
        n_rows += batch.n_fetched
        if n_rows >= min_rows:
            yield merge(pending)
            pending, n_rows = [], 0
    if pending:
        yield merge(pending)


def merge(parts: list[Batch]) -> Batch:
    """One batch of consecutive parts: every row, the last cursor any part had, the earliest `fetched_at`."""
    if len(parts) == 1:
        return parts[0]
    cursors = [part.cursor for part in parts if part.cursor is not None]
    notes = [part.note for part in parts if part.note]
    return Batch(
        records=pa.concat_tables([part.records for part in parts]),
        quarantined=pa.concat_tables([part.quarantined for part in parts]),
        cursor=cursors[-1] if cursors else None,
        fetched_at=min(part.fetched_at for part in parts),
        note="; ".join(notes) or None,
    )
