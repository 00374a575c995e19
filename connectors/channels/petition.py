"""petition: 数字信访 XML exports dropped in a folder with `.md5` companions (feeds/petition.md).

A file loads once its `.md5` matches; the cursor is the set of files loaded (name → MD5), so
an earlier file completed late is still loaded and a rewritten file is loaded again. GBK is
decoded as GB18030 before parsing; DTDs and entities are refused, quarantining the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar
from xml.etree.ElementTree import Element, ParseError, tostring

import orjson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from connectors.core.batch import Batch, BatchBuilder
from connectors.core.channel import Connector, Setting
from connectors.core.errors import ConfigurationError
from connectors.core.files import CheckedFile, DropFolder, WaitingFile
from connectors.core.window import DateWindow
from warehouse.settings import Locations

FILE_PATTERN = "XF_*.xml"
ID_FIELD = "信访件编号"


def simulator_drop_dir(environ: Mapping[str, str]) -> str:
    """The simulator's drop folder: `$ZHIHUI_HOME/simulator/petition_drop`."""
    home = environ.get("ZHIHUI_HOME")
    locations = Locations(Path(home).expanduser().resolve()) if home else Locations.from_env()
    return str(locations.simulator_dir / "petition_drop")


class PetitionConnector(Connector):
    key: ClassVar[str] = "petition"
    title: ClassVar[str] = "数字信访"
    windowed: ClassVar[bool] = False
    settings: ClassVar[tuple[Setting, ...]] = (Setting("PETITION_DROP_DIR", simulator_drop_dir),)
    # the 信访件's elements (the contract's table and its example export), then what parse_export adds
    expected_fields: ClassVar[frozenset[str]] = frozenset(
        {
            ID_FIELD, "登记日期", "信访形式", "信访人姓名", "证件号码", "联系电话", "住址", "问题属地", "问题类别",
            "信访事项", "责任单位", "办理状态", "受理日期", "办结日期", "答复意见", "评价", "重复信访",
            "_export_time", "_batch", "_file",
        }
    )  # fmt: skip

    def fetch_pages(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        folder = Path(self.setting("PETITION_DROP_DIR"))
        if not folder.is_dir():
            raise ConfigurationError(
                self.key, "PETITION_DROP_DIR", f"{folder} is not a folder", "is the drop folder (SFTP mirror) mounted?"
            )
        loaded = dict((cursor or {}).get("loaded", {}))
        for found in DropFolder(folder, FILE_PATTERN).scan(loaded):
            if isinstance(found, WaitingFile):
                yield BatchBuilder().build(note=f"{found.name}: {found.reason}; tried again next run")
                continue
            builder = parse_export(found)
            loaded[found.name] = found.md5  # quarantined whole or not: this version of the file is handled
            yield builder.build(cursor={"loaded": dict(loaded)}, note=f"{found.name}: {len(builder)} rows")


def parse_export(found: CheckedFile) -> BatchBuilder:
    """One record per 信访件; a file that cannot be parsed safely is quarantined whole, with the reason."""
    builder = BatchBuilder()
    try:
        root = fromstring(found.data.decode("gb18030"), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, UnicodeDecodeError) as exc:
        builder.quarantine(found.data, f"{found.name} refused: {type(exc).__name__}: {exc}")
        return builder
    export_time, batch_name = root.get("导出时间", ""), root.get("批次", "")
    version = f"{export_time}|{found.name}"
    for element in root:
        record = _fields(element)
        record.update({"_export_time": export_time, "_batch": batch_name, "_file": found.name})
        petition_id = record.get(ID_FIELD)
        if element.tag != "信访件" or not petition_id:
            builder.quarantine(tostring(element, encoding="utf-8"), f"{found.name}: <{element.tag}> without {ID_FIELD}")
        else:
            builder.add(petition_id, version, orjson.dumps(record))
    return builder


def _fields(element: Element) -> dict[str, str]:
    """Child elements by the vendor's names, in file order; an empty element is ""."""
    return {child.tag: child.text or "" for child in element}
