"""The channel parsers on the quirks their contracts describe: broken lines, BOMs, GBK, DTDs, md5sum files."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime

import orjson

from connectors.channels.minsheng import signature
from connectors.channels.opinion import parse_mentions
from connectors.channels.petition import parse_export as parse_petition
from connectors.channels.wenji import HEADER
from connectors.channels.wenji import parse_export as parse_wenji
from connectors.core.files import CheckedFile, DropFolder, WaitingFile, parse_md5_companion

PETITION = """<?xml version="1.0" encoding="GBK"?>
<信访件列表 导出时间="2025-06-02 01:00:00" 批次="XF_20250601_001">
  <信访件><信访件编号>XF1</信访件编号><信访事项>水管爆裂，无人维修</信访事项><办结日期/></信访件>
</信访件列表>"""


def test_a_truncated_opinion_line_is_quarantined_and_its_id_still_moves_the_cursor():
    body = (
        b'{"id": "9223372036854775801", "published_at": "2025-06-01T09:12:00+08:00", "text": "a"}\n'
        b'{"id": "9223372036854775802", "published_at": "2025-06-01T09:1\n'
        b'{"id": "9223372036854775803", "published_at": "2025-06-01T09:14:00+08:00", "text": "\xf0\x9f\x98\xa4"}\n'
    )
    builder, last_id = parse_mentions(body, "9223372036854775800")
    batch = builder.build()
    assert last_id == "9223372036854775803"
    assert batch.records.column("source_record_id").to_pylist() == ["9223372036854775801", "9223372036854775803"]
    assert batch.records.column("payload").to_pylist()[1] == body.split(b"\n")[2].decode()  # the exact text
    assert batch.quarantined.column("source_record_id").to_pylist() == ["9223372036854775802"]


def test_an_empty_opinion_body_means_nothing_newer():
    assert parse_mentions(b"", "1") == (None, None)


def test_a_wenji_export_keeps_quoted_commas_quotes_and_line_breaks_and_adds_its_date():
    text = ",".join(HEADER) + '\r\nJY1,2025-06-01 21:04,"标题, 有逗号","第一行\r\n第二行 ""引号""",其他,,待处理,\r\n'
    batch = parse_wenji(("\ufeff" + text).encode(), date(2025, 6, 1), datetime(2025, 6, 2, tzinfo=UTC)).build()
    record = orjson.loads(batch.records.column("payload")[0].as_py())
    assert record["标题"] == "标题, 有逗号" and record["建议内容"] == '第一行\r\n第二行 "引号"'
    assert record["_export_date"] == "2025-06-01"
    assert batch.records.column("record_version")[0].as_py() == "2025-06-02T00:00:00.000000Z"


def test_a_wenji_export_with_another_header_is_quarantined_whole():
    body = "\ufeff建议编号,提交时间,标题\r\nJY1,2025-06-01 21:04,x\r\n".encode()
    batch = parse_wenji(body, date(2025, 6, 1), datetime.now(UTC)).build()
    assert batch.records.num_rows == 0
    assert batch.quarantined.column("raw_bytes")[0].as_py() == body
    assert "header" in batch.quarantined.column("reason")[0].as_py()


def test_a_gbk_petition_export_becomes_one_record_per_petition_with_the_vendor_field_names():
    data = PETITION.encode("gbk")
    batch = parse_petition(CheckedFile("XF_20250601_001.xml", data, hashlib.md5(data).hexdigest())).build()
    record = orjson.loads(batch.records.column("payload")[0].as_py())
    assert record == {
        "信访件编号": "XF1",
        "信访事项": "水管爆裂，无人维修",
        "办结日期": "",
        "_export_time": "2025-06-02 01:00:00",
        "_batch": "XF_20250601_001",
        "_file": "XF_20250601_001.xml",
    }
    assert batch.records.column("record_version")[0].as_py() == "2025-06-02 01:00:00|XF_20250601_001.xml"


def test_a_petition_file_declaring_entities_is_quarantined_whole_with_the_reason():
    data = PETITION.replace("<信访件列表", '<!DOCTYPE x [<!ENTITY e "boom">]>\n<信访件列表', 1).encode("gbk")
    batch = parse_petition(CheckedFile("XF_1.xml", data, "")).build()
    assert batch.records.num_rows == 0
    assert batch.quarantined.column("raw_bytes")[0].as_py() == data
    assert "DTDForbidden" in batch.quarantined.column("reason")[0].as_py()


def test_md5_companions_are_read_in_md5sum_style():
    digest = "d41d8cd98f00b204e9800998ecf8427e"
    assert parse_md5_companion(digest) == (digest, None)
    assert parse_md5_companion(f"{digest.upper()}  XF_1.xml\n") == (digest, "XF_1.xml")
    assert parse_md5_companion(f"{digest} *XF_1.xml") == (digest, "XF_1.xml")
    assert parse_md5_companion("not a digest") is None


def test_the_drop_folder_offers_only_complete_files_not_yet_loaded_with_that_digest(tmp_path):
    for name, body in {"XF_1.xml": b"one", "XF_2.xml": b"two", "XF_3.xml": b"three"}.items():
        (tmp_path / name).write_bytes(body)
    (tmp_path / "XF_1.xml.md5").write_text(hashlib.md5(b"one").hexdigest() + "  XF_1.xml\n")
    (tmp_path / "XF_2.xml.md5").write_text(hashlib.md5(b"half").hexdigest())
    found = list(DropFolder(tmp_path, "XF_*.xml").scan({}))
    assert [(type(f), f.name) for f in found] == [
        (CheckedFile, "XF_1.xml"),
        (WaitingFile, "XF_2.xml"),
        (WaitingFile, "XF_3.xml"),
    ]
    loaded = {"XF_1.xml": hashlib.md5(b"one").hexdigest()}
    assert [f.name for f in DropFolder(tmp_path, "XF_*.xml").scan(loaded)] == ["XF_2.xml", "XF_3.xml"]


def test_the_minsheng_signature_covers_method_path_query_and_timestamp():
    message = b"GET\n/prefix/v1/sync\nlimit=500&token=a%2Bb\n1748736000"
    expected = hmac.new(b"sim-secret", message, "sha256").hexdigest()
    assert signature("sim-secret", "/prefix/v1/sync", "limit=500&token=a%2Bb", "1748736000") == expected
