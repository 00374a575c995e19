"""Schema drift: fields a feed sends beyond its contract are recorded, never dropped, and warned about.

Each connector declares `expected_fields` (connectors/core/channel.py). The check reads the
top-level keys of the payloads the latest load added and records every unexpected field in
`raw.schema_drift` (one row per channel, field and load), so an auditor can see when a vendor
started sending it. The payloads themselves keep every field: raw is landed verbatim.
"""

from __future__ import annotations

import dagster as dg
import duckdb

from connectors.core.channel import Connector

SCHEMA_DRIFT_CHECK = "schema_drift"

SCHEMA_DRIFT_DDL = """
create table if not exists raw.schema_drift (
    channel varchar not null,
    field varchar not null,
    load_id varchar not null,
    n_records bigint not null,
    example_source_record_id varchar,
    detected_at timestamptz not null default now(),
    primary key (channel, field, load_id)
)
"""

LATEST_LOAD_SQL = """
select load_id from raw.loads where channel = ? and status = 'succeeded' order by started_at desc limit 1
"""

FIELDS_SQL = """
select field, count(*) as n_records, min(source_record_id) as example_source_record_id
from (
    select source_record_id, unnest(json_keys(payload::json)) as field
    from raw.{channel}
    where load_id = ?
)
group by field
order by field
"""


def evaluate_schema_drift(con: duckdb.DuckDBPyConnection, connector_cls: type[Connector]) -> dg.AssetCheckResult:
    expected = connector_cls.expected_fields
    if not expected:
        return dg.AssetCheckResult(
            check_name=SCHEMA_DRIFT_CHECK,
            passed=True,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"{connector_cls.key} declares no expected_fields yet: nothing compared",
        )
    con.execute(SCHEMA_DRIFT_DDL)
    latest = con.execute(LATEST_LOAD_SQL, [connector_cls.key]).fetchone()
    load_id = latest[0] if latest else None
    seen = con.execute(FIELDS_SQL.format(channel=connector_cls.key), [load_id]).fetchall() if load_id else []
    unexpected = [(field, n, example) for field, n, example in seen if field not in expected]
    for field, n, example in unexpected:
        con.execute(
            "insert or ignore into raw.schema_drift (channel, field, load_id, n_records, example_source_record_id) "
            "values (?, ?, ?, ?, ?)",
            [connector_cls.key, field, load_id, n, example],
        )
    ever = [
        row[0]
        for row in con.execute(
            "select distinct field from raw.schema_drift where channel = ? order by field", [connector_cls.key]
        ).fetchall()
    ]
    missing = sorted(expected - {field for field, _, _ in seen}) if seen else []
    return dg.AssetCheckResult(
        check_name=SCHEMA_DRIFT_CHECK,
        passed=not unexpected,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"unexpected fields in this load: {', '.join(f for f, _, _ in unexpected)}"
            if unexpected
            else "every field of this load is declared"
        ),
        metadata={
            "load_id": load_id,
            "unexpected_fields": dg.MetadataValue.json({f: {"records": n, "example": e} for f, n, e in unexpected}),
            "unexpected_fields_ever": dg.MetadataValue.json(ever),
            "declared_fields_absent_from_load": dg.MetadataValue.json(missing),
        },
    )
