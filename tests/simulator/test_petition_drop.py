"""The 数字信访 drop folder as the petition system writes it (feeds/petition.md)."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

from tests.simulator.helpers import truth_ids

NAME = re.compile(r"^XF_\d{8}_\d{3}\.xml$")
STATES = {"待受理", "已受理", "不予受理", "办理中", "已办结", "复查中"}


def exports(folder: Path) -> list[tuple[Path, ET.Element]]:
    found = []
    for path in sorted(folder.glob("*.xml")):
        content = path.read_bytes()
        assert NAME.match(path.name)
        md5 = path.with_name(path.name + ".md5").read_text(encoding="ascii").split()
        assert md5[0] == hashlib.md5(content).hexdigest() and md5[1].lstrip("*") == path.name
        assert content.startswith(b'<?xml version="1.0" encoding="GBK"?>')
        text = content.decode("gb18030")
        found.append((path, ET.fromstring(text.split("?>", 1)[1])))
    return found


def test_every_export_is_gbk_xml_with_a_matching_md5_and_export_time(sim):
    files = exports(Path(sim.env["PETITION_DROP_DIR"]))
    assert files
    ids = set()
    for path, root in files:
        assert root.tag == "信访件列表" and root.get("批次") == path.stem
        assert re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", root.get("导出时间"))
        for petition in root:
            ids.add(petition.findtext("信访件编号"))
            assert petition.findtext("办理状态") in STATES
            resident_id = petition.findtext("证件号码")
            assert len(resident_id) == 18 and "-" in petition.findtext("问题类别")
    assert ids == truth_ids(sim, "petition")


def test_later_exports_carry_updated_versions_of_earlier_petitions(sim, clock_at):
    with clock_at(sim.clock + timedelta(days=20)):
        seen: dict[str, list[str]] = {}
        for _path, root in exports(Path(sim.env["PETITION_DROP_DIR"])):
            for petition in root:
                seen.setdefault(petition.findtext("信访件编号"), []).append(petition.findtext("办理状态"))
        assert any(len(states) > 1 and states[0] != states[-1] for states in seen.values())
    assert len(list(Path(sim.env["PETITION_DROP_DIR"]).glob("*.xml"))) == len(
        exports(Path(sim.env["PETITION_DROP_DIR"]))
    )
