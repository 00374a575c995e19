"""The staging layer, built by dbt from fixtures landed as the connectors land them.

Fixtures: tests/fixtures/<key>/records.jsonl, one landed version a line: source_record_id,
record_version, fetched_at (ISO, UTC) and the payload object, serialised as the connectors
serialise it (orjson); lines sharing a fetched_at land as one batch.

One module-scoped build: the fixtures of tests/fixtures/<key>/ are landed into a temporary
warehouse (warehouse.landing, connectors.core.batch), then `dbt build` runs the seeds, every
staging model, its data tests and its unit tests. The tests below assert what could go wrong
in normalisation: keys across phone formats, masking, statuses, categories, places, coordinates.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import duckdb
import orjson
import pytest

from connectors.core.batch import BatchBuilder
from warehouse.landing import Load, ensure_raw_tables
from warehouse.settings import DBT_PROJECT_DIR

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
CHANNELS = ("hotline", "city_mgmt", "petition", "opinion", "wenzheng", "wenji", "minsheng")


def fixture_lines(channel: str) -> list[dict]:
    path = FIXTURES_DIR / channel / "records.jsonl"
    if not path.exists():
        return []
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def land_fixtures(warehouse_path: Path, channels: tuple[str, ...] = CHANNELS) -> dict[str, int]:
    """Create the raw tables for every channel and land each channel's fixture lines."""
    con = duckdb.connect(str(warehouse_path))
    try:
        ensure_raw_tables(con, channels)
        return {channel: land_lines(con, channel, fixture_lines(channel)) for channel in channels}
    finally:
        con.close()


def land_lines(con: duckdb.DuckDBPyConnection, channel: str, lines: list[dict]) -> int:
    """Land fixture lines as one load, a batch per fetched_at; the number of rows added."""
    by_fetch: dict[str, list[dict]] = defaultdict(list)
    for line in lines:
        by_fetch[line["fetched_at"]].append(line)
    load = Load(con, channel, run_id="test-staging")
    for fetched_at, batch_lines in sorted(by_fetch.items()):
        builder = BatchBuilder()
        for line in batch_lines:
            builder.add(line["source_record_id"], line["record_version"], orjson.dumps(line["payload"]).decode())
        batch = builder.build()
        batch.fetched_at = datetime.fromisoformat(fetched_at)
        load.land(batch)
    load.finish()
    return load.counts.n_new


def dbt_build(warehouse_path: Path, workdir: Path, select: str, *options: str) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "ZHIHUI_WAREHOUSE_PATH": str(warehouse_path)}
    build = subprocess.run(
        [
            str(dbt),
            "build",
            "--select",
            select,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(workdir / "target"),
            "--log-path",
            str(workdir / "logs"),
            "--threads",
            "8",
            *options,
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-6000:] + build.stderr[-2000:]


RECORD_COLUMNS = [
    "record_key",
    "channel",
    "source_record_id",
    "parent_source_record_id",
    "person_key",
    "person_masked_key",
    "appeal_type",
    "source_category",
    "category_l1",
    "category_l2",
    "category_l3",
    "category_method",
    "category_score",
    "district",
    "street",
    "community",
    "region_code",
    "is_in_register",
    "lat",
    "lng",
    "address",
    "title",
    "content",
    "content_masked",
    "match_text",
    "person_name",
    "person_address",
    "status",
    "raw_status",
    "handling_unit",
    "satisfaction",
    "is_resolved",
    "is_active",
    "is_withdrawn",
    "is_rejected",
    "received_at",
    "dispatched_at",
    "finished_at",
    "evaluated_at",
    "deadline",
    "load_id",
    "loaded_at",
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    workdir = tmp_path_factory.mktemp("staging")
    warehouse_path = workdir / "warehouse.duckdb"
    land_fixtures(warehouse_path)
    dbt_build(warehouse_path, workdir, "+path:models/staging")
    con = duckdb.connect(str(warehouse_path), read_only=True)
    yield con
    con.close()


def records(con: duckdb.DuckDBPyConnection, where: str = "true") -> dict[str, dict]:
    union = " union all ".join(f"select * from staging.stg_{channel}__records" for channel in CHANNELS)
    cursor = con.execute(f"select * from ({union}) where {where}")
    names = [column[0] for column in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def test_every_channel_has_the_same_record_columns_in_the_same_order(warehouse):
    for channel in CHANNELS:
        columns = [c[0] for c in warehouse.execute(f"select * from staging.stg_{channel}__records limit 0").description]
        assert columns == RECORD_COLUMNS, channel


def test_every_landed_record_appears_once_in_its_current_version(warehouse):
    by_key = records(warehouse)
    assert by_key["hotline:RX20250601000123"]["status"] == "evaluated"  # version 5 of 1, 3, 5
    assert by_key["hotline:RX20250601000126"]["raw_status"] == "已派单"  # version 4 landed before version 3
    landed = warehouse.execute(
        " union all ".join(f"select count(distinct source_record_id) from raw.{c}" for c in CHANNELS)
    ).fetchall()
    assert len(by_key) == sum(n for (n,) in landed)


def test_one_mobile_typed_three_ways_gets_one_person_key(warehouse):
    by_key = records(warehouse)
    typed = [
        "hotline:RX20250601000123",  # 138-0000-1234
        "hotline:RX20250601000124",  # +86 138 0000 1234
        "petition:XF3601032025060100017",  # 138 0000 1234
        "minsheng:3f6c1a2e-0000-4000-8000-000000000001",  # 13800001234
    ]
    keys = {by_key[k]["person_key"] for k in typed}
    assert len(keys) == 1 and None not in keys
    assert (
        by_key["hotline:RX20250601000126"]["person_key"] == by_key["wenji:JY202506010001"]["person_key"]
    )  # 86139… = 139…


def test_a_masked_reporter_meets_the_full_number_through_the_masked_key(warehouse):
    by_key = records(warehouse)
    reporter = by_key["city_mgmt:CG20250601083012"]
    assert reporter["person_key"] is None
    assert reporter["person_masked_key"] == by_key["hotline:RX20250601000123"]["person_masked_key"]
    assert reporter["person_masked_key"] != by_key["hotline:RX20250601000123"]["person_key"]


def test_landlines_keep_their_area_code_and_patrols_have_no_person(warehouse):
    by_key = records(warehouse)
    landline = by_key["hotline:RX20250601000125"]
    assert landline["person_key"] is not None and landline["person_masked_key"] is None
    patrol = by_key["city_mgmt:CG20250601090001"]
    assert patrol["person_key"] is None and patrol["person_masked_key"] is None
    anonymous = by_key["hotline:RX20250601000127"]
    assert anonymous["person_key"] is None


def test_no_phone_or_resident_id_or_own_name_survives_in_masked_text(warehouse):
    for key, record in records(warehouse).items():
        for text in (record["content_masked"], record["title"], record["match_text"]):
            if text is None:
                continue
            assert "13800001234" not in text and "13900005678" not in text, key
            assert "0000 1234" not in text and "0000-1234" not in text and "0000 5678" not in text, key
            assert "36010319" not in text, key
            if record["person_name"] and len(record["person_name"]) == 2:
                assert record["person_name"] not in text, key
            if record["person_address"]:
                assert "桃苑小区3栋" not in text, key
    masked = records(warehouse, "record_key = 'hotline:RX20250601000126'")["hotline:RX20250601000126"]
    assert "139****5678" in masked["content_masked"] and "3601**********1234" in masked["content_masked"]
    assert "赵*" in masked["content_masked"]


def test_statuses_follow_the_shared_vocabulary(warehouse):
    by_key = records(warehouse)
    expected = {
        "hotline:RX20250601000124": ("finished", False),  # 并单: closed into another order
        "city_mgmt:CG20250601100002": ("rejected", False),  # state 9 作废
        "petition:XF3601032025060100018": ("rejected", False),  # 不予受理
        "petition:XF3601032025060100017": ("evaluated", True),  # 评价 given
        "minsheng:3f6c1a2e-0000-4000-8000-000000000002": ("withdrawn", False),
        "minsheng:3f6c1a2e-0000-4000-8000-000000000003": ("withdrawn", False),
        "wenzheng:1048576": ("finished", True),
        "wenji:JY202506010001": ("finished", True),
        "opinion:7234567890123456789": ("received", True),
    }
    for key, (status, is_active) in expected.items():
        assert (by_key[key]["status"], by_key[key]["is_active"]) == (status, is_active), key
    assert by_key["hotline:RX20250601000124"]["parent_source_record_id"] == "RX20250601000123"
    assert by_key["minsheng:3f6c1a2e-0000-4000-8000-000000000001"]["satisfaction"] == "dissatisfied"
    assert by_key["minsheng:3f6c1a2e-0000-4000-8000-000000000001"]["is_resolved"] is False
    assert by_key["hotline:RX20250601000123"]["satisfaction"] == "basic"


def test_status_events_keep_the_whole_trail(warehouse):
    trail = warehouse.execute(
        "select status, raw_status from staging.stg_hotline__status_events "
        "where source_record_id = 'RX20250601000123' order by status_at"
    ).fetchall()
    assert [s for s, _ in trail] == ["received", "dispatched", "processing", "finished", "evaluated"]
    withdrawn = warehouse.execute(
        "select status from staging.stg_minsheng__status_events "
        "where source_record_id = '3f6c1a2e-0000-4000-8000-000000000002' order by status_at"
    ).fetchall()
    assert withdrawn == [("received",), ("withdrawn",)]


def test_reposts_point_at_the_root_post(warehouse):
    by_key = records(warehouse, "channel = 'opinion'")
    assert by_key["opinion:7234567890123456790"]["parent_source_record_id"] == "7234567890123456789"
    assert by_key["opinion:7234567890123456801"]["parent_source_record_id"] == "7234567890123456789"
    assert by_key["opinion:7234567890123456789"]["parent_source_record_id"] is None


def test_a_repost_staged_before_its_chain_landed_moves_to_the_root_when_the_chain_lands(tmp_path):
    # incremental opinion staging: the repost has no new load, yet its root moved
    warehouse_path = tmp_path / "warehouse.duckdb"
    lines = fixture_lines("opinion")
    repost_of_repost = "7234567890123456801"
    con = duckdb.connect(str(warehouse_path))
    ensure_raw_tables(con, CHANNELS)
    land_lines(con, "opinion", [line for line in lines if line["source_record_id"] == repost_of_repost])
    con.close()

    def parent() -> str:
        with duckdb.connect(str(warehouse_path), read_only=True) as con:
            return con.execute(
                "select parent_source_record_id from staging.stg_opinion__records where source_record_id = ?",
                [repost_of_repost],
            ).fetchone()[0]

    dbt_build(warehouse_path, tmp_path, "+stg_opinion__records", "--indirect-selection", "cautious")
    assert parent() == "7234567890123456790"  # the id it names: nothing above it landed yet
    with duckdb.connect(str(warehouse_path)) as con:
        land_lines(con, "opinion", [line for line in lines if line["source_record_id"] != repost_of_repost])
    dbt_build(warehouse_path, tmp_path, "+stg_opinion__records", "--indirect-selection", "cautious")
    assert parent() == "7234567890123456789"


def test_every_record_whose_content_was_seen_has_a_level_one_category(warehouse):
    for key, record in records(warehouse).items():
        if record["content"] is not None:
            assert record["category_l1"] is not None, key
        else:
            assert record["category_l1"] is None, key
    by_key = records(warehouse)
    assert by_key["hotline:RX20250601000125"]["category_method"].startswith("keywords:")  # 咨询 without category
    assert by_key["hotline:RX20250601000125"]["category_l1"] == "教育文体"
    assert by_key["wenzheng:1048576"]["category_l3"] == "城市公共设施"  # 路灯
    assert by_key["city_mgmt:CG20250601083012"]["category_score"] == 1.0


def test_city_mgmt_coordinates_are_converted_to_wgs84_within_50_metres(warehouse):
    by_key = records(warehouse, "channel = 'city_mgmt'")
    converted = by_key["city_mgmt:CG20250601083012"]
    expected_lat, expected_lng = 28.6505, 115.8952  # the WGS-84 point the fixture's GCJ-02 was made from
    metres = math.hypot(
        (converted["lat"] - expected_lat) * 111_320,
        (converted["lng"] - expected_lng) * 111_320 * math.cos(math.radians(expected_lat)),
    )
    assert metres < 50
    assert by_key["city_mgmt:CG20250601090001"]["lat"] is None  # 0/0: no fix


def test_places_are_matched_onto_the_register_or_kept_as_sent(warehouse):
    by_key = records(warehouse)
    assert by_key["city_mgmt:CG20250601083012"]["region_code"] == "360103010003"  # gridCode
    assert by_key["hotline:RX20250601000125"]["community"] == "翠花街社区"  # named in the text
    assert by_key["hotline:RX20250601000126"]["street"] == "南站街道"  # 站前路, a register road
    assert by_key["minsheng:3f6c1a2e-0000-4000-8000-000000000001"]["region_code"] == "360103010003"
    outside = by_key["wenzheng:1048577"]  # 南昌市 东湖区
    assert (outside["district"], outside["is_in_register"], outside["region_code"]) == ("东湖区", False, None)
    assert by_key["hotline:RX20250601000127"]["street"] == "豫章街道"  # as sent


def test_html_is_plain_text(warehouse):
    message = records(warehouse, "channel = 'wenzheng'")["wenzheng:1048576"]
    assert "<p>" not in message["content"] and "&nbsp;" not in message["content"]
    assert "<很危险>" in message["content"]
