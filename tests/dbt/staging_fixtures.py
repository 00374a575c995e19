"""Land the staging fixtures (tests/fixtures/<key>/records.jsonl) the way connectors land records.

Each line is one landed version: source_record_id, record_version, fetched_at (ISO, UTC) and the
payload object, serialised as the connectors serialise it (orjson). Lines sharing a fetched_at
land as one batch, so load_id and fetched_at are what a real run would write.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import duckdb
import orjson

from connectors.core.batch import BatchBuilder
from warehouse.landing import Load, ensure_raw_tables

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
CHANNELS = ("hotline", "city_mgmt", "petition", "opinion", "wenzheng", "wenji", "minsheng")


def fixture_lines(channel: str) -> list[dict]:
    path = FIXTURES_DIR / channel / "records.jsonl"
    if not path.exists():
        return []
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def land_fixtures(warehouse_path: Path, channels: tuple[str, ...] = CHANNELS) -> dict[str, int]:
    """Create the raw tables for every channel and land each channel's fixture lines."""
    landed: dict[str, int] = {}
    con = duckdb.connect(str(warehouse_path))
    try:
        ensure_raw_tables(con, channels)
        for channel in channels:
            by_fetch: dict[str, list[dict]] = defaultdict(list)
            for line in fixture_lines(channel):
                by_fetch[line["fetched_at"]].append(line)
            load = Load(con, channel, run_id="test-staging")
            for fetched_at, lines in sorted(by_fetch.items()):
                builder = BatchBuilder()
                for line in lines:
                    builder.add(line["source_record_id"], line["record_version"], orjson.dumps(line["payload"]).decode())
                batch = builder.build()
                batch.fetched_at = datetime.fromisoformat(fetched_at)
                load.land(batch)
            load.finish()
            landed[channel] = load.counts.n_new
    finally:
        con.close()
    return landed


if __name__ == "__main__":
    import sys

    print(land_fixtures(Path(sys.argv[1])))
