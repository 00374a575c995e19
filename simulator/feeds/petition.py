"""数字信访 drop folder (feeds/petition.md): GBK XML exports, `.md5` written after the XML.

Every day's registrations are exported at 01:00 the next day (`XF_<day>_001`…, 2000 a file);
petitions registered earlier whose record changed that day follow at 01:30 in the next
sequence numbers, as they stood at export time (the later export wins). The folder shows
exactly the files whose export time has passed on the simulated clock. With the `md5_mismatch`
fault a file first appears half-written under its final `.md5`, and is completed on the next sync.
With the opt-in `dtd_entity` fault an export carries a DOCTYPE declaring entities (a small entity
expansion, an external entity, or an external DTD), used in its first 信访事项, under a matching
`.md5`: complete and well-formed, and to be refused whole. It stays so (the export is not redone).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from simulator.clock import DAY_MS, HOUR_MS, MINUTE_MS, day_start_ms, fmt_local
from simulator.faults import FaultInjector
from simulator.store import StoreReader

FIELDS = (
    "信访件编号",
    "登记日期",
    "信访形式",
    "信访人姓名",
    "证件号码",
    "联系电话",
    "住址",
    "问题属地",
    "问题类别",
    "信访事项",
    "责任单位",
    "办理状态",
    "受理日期",
    "办结日期",
    "答复意见",
    "评价",
    "重复信访",
)
PER_FILE = 2000
NEW_EXPORT_OFFSET_MS = HOUR_MS
UPDATE_EXPORT_OFFSET_MS = HOUR_MS + 30 * MINUTE_MS


# What a hostile or careless exporter puts after the XML declaration: (DOCTYPE, entity reference).
DTD_VARIANTS = (
    (
        "<!DOCTYPE 信访件列表 [\n"
        '  <!ENTITY lol "lol">\n'
        '  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        '  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">\n'
        "]>",
        "&lol2;",
    ),
    ('<!DOCTYPE 信访件列表 [\n  <!ENTITY 附件 SYSTEM "file:///etc/passwd">\n]>', "&附件;"),
    ('<!DOCTYPE 信访件列表 SYSTEM "http://xf.example.gov.cn/dtd/xf_export.dtd">', ""),
)


def with_dtd(content: bytes, variant: int) -> bytes:
    """The export with a DOCTYPE after its XML declaration and the entity used in the first 信访事项."""
    doctype, reference = DTD_VARIANTS[variant]
    declaration, _, rest = content.partition(b"\n")
    opening = "<信访事项>".encode("gbk")
    rest = rest.replace(opening, opening + reference.encode("gbk"), 1)
    return declaration + b"\n" + doctype.encode("gbk") + b"\n" + rest


def render_xml(petitions: list[dict], export_ms: int, batch: str) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="GBK"?>',
        f"<信访件列表 导出时间={quoteattr(fmt_local(export_ms))} 批次={quoteattr(batch)}>",
    ]
    for petition in petitions:
        lines.append("  <信访件>")
        for name in FIELDS:
            value = petition.get(name) or ""
            lines.append(f"    <{name}>{escape(value)}</{name}>" if value else f"    <{name}/>")
        lines.append("  </信访件>")
    lines.append("</信访件列表>\n")
    return "\n".join(lines).encode("gbk")


class PetitionDropFolder:
    def __init__(self, store: StoreReader, folder: Path, first_day: date, faults: FaultInjector | None) -> None:
        self.store, self.folder, self.first_day, self.faults = store, folder, first_day, faults
        self._half_written: set[str] = set()
        self._fresh = True  # files from an earlier run may belong to another world

    def sync(self, now_ms: int) -> None:
        """Make the folder hold exactly the exports made by `now_ms`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        due = {}
        day = self.first_day
        while day_start_ms(day) + DAY_MS + NEW_EXPORT_OFFSET_MS <= now_ms:
            for name, export_ms, petitions in self._exports_of(day, now_ms):
                due[name] = (export_ms, petitions)
            day += timedelta(days=1)
        for path in self.folder.glob("XF_*.xml*"):
            if self._fresh or path.name.removesuffix(".md5") not in due:
                path.unlink()
        self._fresh = False
        for name, (export_ms, petitions) in sorted(due.items()):
            self._write(name, lambda p=petitions, t=export_ms, n=name: render_xml(p(), t, n.removesuffix(".xml")))

    def _exports_of(self, day: date, now_ms: int):
        start = day_start_ms(day)
        new_ids = [
            r
            for (r,) in self.store.rows(
                "select record_id from records where channel = 'petition' and created_ms >= ? and created_ms < ?"
                " order by record_id",
                (start, start + DAY_MS),
            )
        ]
        changed_ids = [
            r
            for (r,) in self.store.rows(
                "select distinct v.record_id from versions v join records r"
                " on r.channel = v.channel and r.record_id = v.record_id"
                " where v.channel = 'petition' and v.valid_from_ms >= ? and v.valid_from_ms < ? and r.created_ms < ?"
                " order by v.record_id",
                (start, start + DAY_MS, start),
            )
        ]
        exports = []
        seq = 1
        for ids, offset in ((new_ids, NEW_EXPORT_OFFSET_MS), (changed_ids, UPDATE_EXPORT_OFFSET_MS)):
            export_ms = start + DAY_MS + offset
            if export_ms > now_ms:
                continue
            for i in range(0, len(ids), PER_FILE):
                chunk = ids[i : i + PER_FILE]
                name = f"XF_{day:%Y%m%d}_{seq:03d}.xml"
                exports.append((name, export_ms, lambda c=chunk, t=export_ms: self._petitions(c, t)))
                seq += 1
            if not ids and offset == NEW_EXPORT_OFFSET_MS:  # the exporter writes a file even on a quiet day
                exports.append((f"XF_{day:%Y%m%d}_{seq:03d}.xml", export_ms, list))
                seq += 1
        return exports

    def _petitions(self, ids: list[str], as_of_ms: int) -> list[dict]:
        marks = ",".join("?" * len(ids))
        rows = self.store.rows(
            f"select base, patches from records where channel = 'petition'"
            f" and record_id in ({marks}) order by record_id",
            ids,
        )
        return [StoreReader.decode(base, patches, as_of_ms) for base, patches in rows]

    def _write(self, name: str, render: Callable[[], bytes]) -> None:
        xml_path, md5_path = self.folder / name, self.folder / f"{name}.md5"
        if name not in self._half_written and md5_path.exists() and xml_path.exists():
            return
        content = render()
        digest = hashlib.md5(content).hexdigest()
        fault = None
        if name in self._half_written:
            self._half_written.discard(name)  # the exporter finished rewriting it
        elif self.faults is not None:
            fault = self.faults.draw(name)
        if fault == "md5_mismatch":
            self._half_written.add(name)
            content = content[: len(content) // 2]
        elif fault == "dtd_entity" and self.faults is not None:
            content = with_dtd(content, self.faults.chance().randrange(len(DTD_VARIANTS)))
            digest = hashlib.md5(content).hexdigest()
        tmp = xml_path.with_suffix(".xml.part")
        tmp.write_bytes(content)
        tmp.replace(xml_path)
        md5_path.write_text(f"{digest}  {name}\n", encoding="ascii")
