"""Landing keeps (source_record_id, payload_sha256) unique without a primary key, and older warehouses migrate."""

from __future__ import annotations

from connectors.core.batch import BatchBuilder
from tests.connectors.ingestion import landed_set, totals
from warehouse.landing import CHANNEL_TABLE_DDL, Load, ensure_raw_tables


def batch(*records: tuple[str, str, str]):
    builder = BatchBuilder()
    for source_record_id, version, payload in records:
        builder.add(source_record_id, version, payload)
    builder.quarantine(b"not json", "broken")
    return builder.build(cursor={"n": len(records)})


def land(con, *batches) -> Load:
    ensure_raw_tables(con, ["hotline"])
    load = Load(con, "hotline")
    for each in batches:
        load.land(each)
    load.finish()
    return load


def primary_keys(con) -> list:
    return con.execute("select table_name from duckdb_constraints() where constraint_type = 'PRIMARY KEY'").fetchall()


def test_a_payload_landed_again_in_the_same_or_a_later_batch_adds_nothing(warehouse):
    first = land(
        warehouse,
        batch(("a", "1", '{"v":1}'), ("a", "1", '{"v":1}'), ("b", "1", '{"v":1}')),
        batch(("a", "1", '{"v":1}'), ("a", "2", '{"v":2}')),
    )
    assert (first.counts.n_fetched, first.counts.n_landed, first.counts.n_new) == (7, 5, 3)
    again = land(warehouse, batch(("b", "1", '{"v":1}'), ("a", "2", '{"v":2}'), ("a", "1", '{"v":1}')))
    assert again.counts.n_new == 0 and again.counts.reconciles
    assert {record_id for record_id, _ in landed_set(warehouse, "hotline")} == {"a", "b"}
    assert len(landed_set(warehouse, "hotline")) == 3
    assert totals(warehouse, "hotline").reconciles


def test_a_channel_table_created_with_the_old_primary_key_is_rebuilt_without_it_keeping_its_rows(warehouse):
    warehouse.execute("create schema raw")
    keyed = CHANNEL_TABLE_DDL.format(channel="hotline").rstrip().removesuffix(")")
    warehouse.execute(keyed + ", primary key (source_record_id, payload_sha256))")
    warehouse.execute("insert into raw.hotline values ('a', '1', '{\"v\":1}', sha256('{\"v\":1}'), 'old', now())")
    assert primary_keys(warehouse) == [("hotline",)]
    load = land(warehouse, batch(("a", "1", '{"v":1}'), ("a", "2", '{"v":2}')))
    assert ("hotline",) not in primary_keys(warehouse)
    assert load.counts.n_new == 1
    assert warehouse.execute("select load_id from raw.hotline where record_version = '1'").fetchall() == [("old",)]
