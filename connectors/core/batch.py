"""What a connector hands over: one page (or file) of records as Arrow, with the cursor that follows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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
        self._payloads: list[str] = []
        self._bad: list[tuple[str | None, bytes, str]] = []

    def add(self, source_record_id: str, record_version: str | None, payload: str) -> None:
        self._ids.append(source_record_id)
        self._versions.append(record_version)
        self._payloads.append(payload)

    def quarantine(self, raw: bytes | str, reason: str, source_record_id: str | None = None) -> None:
        raw_bytes = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw)
        self._bad.append((source_record_id, raw_bytes, reason))

    def __len__(self) -> int:
        return len(self._ids) + len(self._bad)

    def build(self, cursor: dict[str, Any] | None = None, note: str | None = None) -> Batch:
        records = pa.Table.from_arrays(
            [
                pa.array(self._ids, pa.string()),
                pa.array(self._versions, pa.string()),
                pa.array(self._payloads, pa.string()),
            ],
            schema=RECORD_SCHEMA,
        )
        ids, raws, reasons = zip(*self._bad, strict=True) if self._bad else ((), (), ())
        quarantined = pa.Table.from_arrays(
            [pa.array(ids, pa.string()), pa.array(raws, pa.binary()), pa.array(reasons, pa.string())],
            schema=QUARANTINE_SCHEMA,
        )
        return Batch(records=records, quarantined=quarantined, cursor=cursor, note=note)
