"""The petition drop folder: files load once complete, in any order, and a hostile file stays alone."""

from __future__ import annotations

import hashlib

import pytest

from connectors.core.errors import ConfigurationError
from simulator import FaultPlan
from tests.connectors.conftest import WINDOW
from tests.connectors.ingestion import ingest, landed_ids, totals

HOSTILE = """<?xml version="1.0" encoding="GBK"?>
<!DOCTYPE 信访件列表 [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<信访件列表 导出时间="2025-06-03 01:00:00" 批次="XF_20250602_009">
  <信访件><信访件编号>XF_HOSTILE</信访件编号><信访事项>&lol2;</信访事项></信访件>
</信访件列表>
"""


def drop(folder, name: str, data: bytes, digest_of: bytes | None = None) -> None:
    (folder / name).write_bytes(data)
    digest = hashlib.md5(data if digest_of is None else digest_of).hexdigest()
    (folder / f"{name}.md5").write_text(f"{digest} *{name}\n")


def test_a_file_with_a_bad_md5_is_left_for_later_and_loaded_once_complete(simulate, warehouse):
    sim = simulate(FaultPlan(rate=1.0, kinds={"md5_mismatch"}, feeds={"petition"}))
    first = ingest(warehouse, "petition", sim.env, WINDOW)
    assert first.counts.n_fetched == 0 and first.cursor_after is None  # every file is half-written
    sim.set_clock(sim.clock)  # the exporter finishes writing
    second = ingest(warehouse, "petition", sim.env, WINDOW)
    assert second.counts.n_landed > 0 and second.counts.reconciles
    assert set(second.cursor_after["loaded"]) == {p.name for p in sim.petition_dir.glob("XF_*.xml")}


def test_a_file_declaring_entities_is_quarantined_whole_and_its_siblings_still_load(simulate, warehouse):
    sim = simulate()
    drop(sim.petition_dir, "XF_20250602_009.xml", HOSTILE.encode("gbk"))
    load = ingest(warehouse, "petition", sim.env, WINDOW)
    assert load.counts.reconciles and load.counts.n_quarantined == 1
    reason, raw = warehouse.execute(
        "select reason, raw_bytes from raw.quarantine where channel = 'petition'"
    ).fetchone()
    assert "XF_20250602_009.xml" in reason and "Forbidden" in reason and raw == HOSTILE.encode("gbk")
    assert "XF_HOSTILE" not in landed_ids(warehouse, "petition")
    assert len(load.cursor_after["loaded"]) == len(list(sim.petition_dir.glob("XF_*.xml")))
    assert ingest(warehouse, "petition", sim.env, WINDOW).counts.n_fetched == 0  # handled: not quarantined again


def test_an_earlier_file_completed_late_and_a_rewritten_file_are_both_loaded(simulate, warehouse):
    sim = simulate()
    template = (sim.petition_dir / "XF_20250601_001.xml").read_bytes().decode("gbk")
    late = template.replace("XF_20250601_001", "XF_20250601_007").encode("gbk")
    drop(sim.petition_dir, "XF_20250601_007.xml", late, digest_of=b"the file as it will be")
    first = ingest(warehouse, "petition", sim.env, WINDOW)
    assert "XF_20250601_007.xml" not in first.cursor_after["loaded"]  # later files loaded, this one waits

    drop(sim.petition_dir, "XF_20250601_007.xml", late)  # complete now
    second = ingest(warehouse, "petition", sim.env, WINDOW)
    assert "XF_20250601_007.xml" in second.cursor_after["loaded"] and second.counts.n_landed > 0

    rewritten = late.decode("gbk").replace('导出时间="', '导出时间="2099').encode("gbk")
    drop(sim.petition_dir, "XF_20250601_007.xml", rewritten)
    third = ingest(warehouse, "petition", sim.env, WINDOW)
    assert third.counts.n_new == third.counts.n_landed > 0  # a new digest: every record is a new version
    assert totals(warehouse, "petition").reconciles


def test_a_missing_drop_folder_is_one_configuration_error_naming_the_variable(tmp_path, warehouse):
    with pytest.raises(ConfigurationError, match=r"\[petition\] .* is not a folder \(check PETITION_DROP_DIR"):
        ingest(warehouse, "petition", {"PETITION_DROP_DIR": str(tmp_path / "nowhere")}, WINDOW)
