"""The intermediate and mart layers, built by dbt over a tiny crafted set of staging rows.

The project is copied to a temporary folder with every `stg_<key>__records` / `__status_events`
replaced by a stub reading a crafted table (the staging contract's columns), so these tests pin
the matching, id and KPI behaviour without depending on payload parsing. One module-scoped first
build; later tests rebuild the matching models after changing the reviewed decisions seed, in
the order the tests are written (ids stable on re-run, then a merge, then a full refresh).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.settings import DBT_PROJECT_DIR

CHANNELS = ("hotline", "city_mgmt", "petition", "opinion", "wenzheng", "wenji", "minsheng")
DECISIONS_HEADER = "channel_a,source_record_id_a,channel_b,source_record_id_b,decision,reviewer,reason\n"

RECORD_COLUMNS = """
    record_key varchar, channel varchar, source_record_id varchar, parent_source_record_id varchar,
    person_key varchar, person_masked_key varchar, appeal_type varchar, source_category varchar,
    category_l1 varchar, category_l2 varchar, category_l3 varchar, category_method varchar,
    category_score double, district varchar, street varchar, community varchar, region_code varchar,
    is_in_register boolean, lat double, lng double, address varchar, title varchar, content varchar,
    content_masked varchar, match_text varchar, person_name varchar, person_address varchar,
    status varchar, raw_status varchar, handling_unit varchar, satisfaction varchar, is_resolved boolean,
    is_active boolean, is_withdrawn boolean, is_rejected boolean, received_at timestamptz,
    dispatched_at timestamptz, finished_at timestamptz, evaluated_at timestamptz, deadline date,
    load_id varchar, loaded_at timestamptz
"""
GARBAGE = ("城乡建设", "城市建设和市政管理", "环境卫生")
LIGHT = ("城乡建设", "城市建设和市政管理", "城市公共设施")
WATER = ("城乡建设", "城市建设和市政管理", "自来水供应")


def record(
    channel,
    source_id,
    at,
    category=GARBAGE,
    text="醋巷172号附近垃圾堆积没人清运",
    person=None,
    masked=None,
    parent=None,
    status="received",
    street="广润门街道",
    **extra,
) -> dict:
    row = {
        "record_key": f"{channel}:{source_id}",
        "channel": channel,
        "source_record_id": source_id,
        "parent_source_record_id": parent,
        "person_key": person,
        "person_masked_key": masked or person,
        "category_l1": category[0],
        "category_l2": category[1],
        "category_l3": category[2],
        "category_method": "mapping:test",
        "category_score": 1.0,
        "district": "西湖区",
        "street": street,
        "is_in_register": True,
        "content": text,
        "content_masked": text,
        "match_text": text,
        "status": status,
        "raw_status": status,
        "handling_unit": "西湖区城管执法局",
        "is_active": parent is None or channel != "hotline",
        "is_withdrawn": False,
        "is_rejected": False,
        "received_at": f"2025-06-{at}:00+08",
        "load_id": "L1",
        "loaded_at": "2025-06-20 00:00:00+08",
    }
    row.update(extra)
    return row


CRAFTED = [
    # one person's one appeal on hotline and minsheng, plus the hotline's own 并单 of a repeat call
    record("hotline", "RX1", "02 09:00", person="p1"),
    record("minsheng", "M1", "02 15:00", person="p1", text="醋巷这边垃圾桶满了好几天没人收"),
    record("hotline", "RX2", "02 10:00", person="p1", parent="RX1", status="finished", text="第二次来电"),
    # hard negative: the same person, two different appeals in one week
    record("hotline", "RX3", "03 09:00", person="p2", category=LIGHT, text="洪都中大道路灯不亮"),
    record("hotline", "RX4", "05 09:00", person="p2", category=WATER, text="小区一带突然停水"),
    # a patrol case at the same spot: its own complaint, never a person's, but the same incident
    record("city_mgmt", "CG1", "02 11:00", text="巡查发现醋巷172号附近垃圾堆积"),
    # an opinion post and its repost: one complaint, monitored only (not in KPIs)
    record("opinion", "O1", "02 12:00", text="醋巷172号附近垃圾成堆没人管"),
    record("opinion", "O2", "02 13:00", parent="O1", text="转发 醋巷172号附近垃圾成堆没人管"),
    # two people, unrelated, later merged by a reviewer
    record("wenji", "J1", "06 09:00", person="p3", category=LIGHT, text="洪都中大道88号路灯建议", street="桃源街道"),
    record(
        "petition", "XF1", "07 09:00", person="p4", category=LIGHT, text="洪都中大道88号路灯不亮", street="桃源街道"
    ),
]


MATCHING_NODES = (
    "manual_match_decisions",
    "int_complaints_matched",
    "int_record_components",
    "int_complaints_clustered",
    "int_complaint_id_assignments",
    "complaint_id_history",
    "bridge_complaint_source",
)


def complaint_id(record_key: str) -> str:
    return "C" + hashlib.sha256(record_key.encode()).hexdigest()[:16]


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / "dbt_project"
        self.warehouse = root / "warehouse.duckdb"

    def dbt(self, *args: str) -> None:
        env = {**os.environ, "ZHIHUI_WAREHOUSE_PATH": str(self.warehouse)}
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("dbt")),
                *args,
                "--project-dir",
                str(self.dir),
                "--profiles-dir",
                str(self.dir),
                "--threads",
                "4",
            ],
            cwd=self.dir,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

    def decide(self, *rows: str) -> None:
        (self.dir / "seeds" / "manual_match_decisions.csv").write_text(
            DECISIONS_HEADER + "".join(r + "\n" for r in rows)
        )

    def rebuild_matching(self, *extra: str) -> None:
        """Rebuild only what the reviewed decisions change up to the ids and the bridge."""
        self.dbt("build", "--select", *MATCHING_NODES, "--exclude", "test_type:unit", "test_type:data", *extra)

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("marts")
    built = Project(root)
    shutil.copytree(DBT_PROJECT_DIR, built.dir, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    shutil.rmtree(built.dir / "models" / "staging")
    shutil.rmtree(built.dir / "models" / "marts" / "audit", ignore_errors=True)  # reads raw.*
    stubs = built.dir / "models" / "staging"
    stubs.mkdir()
    for channel in CHANNELS:
        (stubs / f"stg_{channel}__records.sql").write_text(
            f"select * from crafted.records where channel = '{channel}'\n"
        )
        (stubs / f"stg_{channel}__status_events.sql").write_text(
            "select record_key, channel, source_record_id, status, received_at as status_at, raw_status "
            f"from crafted.records where channel = '{channel}'\n"
        )
    built.decide()
    con = duckdb.connect(str(built.warehouse))
    con.execute("create schema crafted")
    con.execute(f"create table crafted.records ({RECORD_COLUMNS})")
    for row in CRAFTED:
        columns = ", ".join(row)
        con.execute(
            f"insert into crafted.records ({columns}) values ({', '.join('?' for _ in row)})", list(row.values())
        )
    con.close()
    built.dbt("build")
    return built


def complaints_by_record(project: Project) -> dict[str, str]:
    return dict(project.query("select record_key, complaint_id from mart.bridge_complaint_source"))


def test_every_source_record_is_in_exactly_one_complaint(project):
    rows = project.query("select record_key, count(*) from mart.bridge_complaint_source group by record_key")
    assert sorted(key for key, _ in rows) == sorted(r["record_key"] for r in CRAFTED)
    assert all(n == 1 for _, n in rows)
    orphans = project.query(
        "select count(*) from mart.bridge_complaint_source left join mart.fct_complaint using (complaint_id)"
        " where fct_complaint.complaint_id is null"
    )
    assert orphans == [(0,)]


def test_one_persons_appeal_across_channels_and_the_hotline_merge_is_one_complaint(project):
    complaints = complaints_by_record(project)
    assert complaints["hotline:RX1"] == complaints["minsheng:M1"] == complaints["hotline:RX2"]
    assert complaints["hotline:RX1"] == complaint_id("hotline:RX1")  # the earliest record names it
    row = project.query(
        f"select n_records, channels, first_channel from mart.fct_complaint "
        f"where complaint_id = '{complaint_id('hotline:RX1')}'"
    )
    assert row == [(3, ["hotline", "minsheng"], "hotline")]


def test_one_person_with_two_different_appeals_in_a_week_is_not_merged(project):
    complaints = complaints_by_record(project)
    assert complaints["hotline:RX3"] != complaints["hotline:RX4"]


def test_a_patrol_case_never_joins_a_persons_complaint_but_joins_its_incident(project):
    complaints = complaints_by_record(project)
    assert complaints["city_mgmt:CG1"] not in {complaints["hotline:RX1"], complaints["opinion:O1"]}
    incidents = dict(project.query("select complaint_id, incident_id from mart.fct_complaint"))
    assert incidents[complaints["city_mgmt:CG1"]] == incidents[complaints["hotline:RX1"]]
    assert incidents[complaints["opinion:O1"]] == incidents[complaints["hotline:RX1"]]


def test_an_opinion_post_and_its_reposts_are_one_complaint_outside_the_kpis(project):
    complaints = complaints_by_record(project)
    assert complaints["opinion:O1"] == complaints["opinion:O2"]
    received = project.query("select sum(n_received) from mart.kpi_daily")
    handled = sum(1 for c in set(complaints.values()) if c != complaints["opinion:O1"])
    assert received == [(handled,)]


def test_complaint_ids_are_stable_on_rerun(project):
    before = complaints_by_record(project)
    logged = project.query("select count(*) from intermediate.int_complaint_id_assignments")
    project.rebuild_matching()
    assert complaints_by_record(project) == before
    assert project.query("select count(*) from intermediate.int_complaint_id_assignments") == logged
    assert project.query("select count(*) from mart.complaint_id_history") == [(0,)]


def test_reviewed_decisions_merge_and_split_and_the_redirect_survives_a_full_refresh(project):
    old = complaints_by_record(project)
    assert old["wenji:J1"] != old["petition:XF1"]
    assert old["hotline:RX1"] == old["minsheng:M1"]
    project.decide(
        "wenji,J1,petition,XF1,same,reviewer1,same lamp same person",
        "hotline,RX1,minsheng,M1,not_same,reviewer1,different households",
    )
    project.rebuild_matching()
    changed = complaints_by_record(project)
    # merge: the earlier record's id survives, the later id is redirected to it
    assert changed["wenji:J1"] == changed["petition:XF1"] == complaint_id("wenji:J1")
    history = project.query("select old_complaint_id, complaint_id from mart.complaint_id_history")
    assert history == [(complaint_id("petition:XF1"), complaint_id("wenji:J1"))]
    # split: not_same holds even though RX2 (the hotline's merge of RX1) also matches M1 by rule
    assert changed["hotline:RX1"] != changed["minsheng:M1"]
    assert changed["hotline:RX1"] == changed["hotline:RX2"] == complaint_id("hotline:RX1")

    project.rebuild_matching("--full-refresh")
    assert project.query("select old_complaint_id, complaint_id from mart.complaint_id_history") == history
