"""Payloads of JSON feeds: each item re-serialised by orjson, however many are serialised at once."""

import orjson

from connectors.core.batch import serialise_each


def test_items_serialised_together_are_byte_for_byte_what_orjson_gives_each():
    items = [
        {"content": "市民反映\r\n噪声", "tricky": "a,\x1e,b\x1e", "nested": [1, 2.5, None, {"x": True}]},
        "a string,\x1e,with the separator",
        12345678901234567,
        [],
        {},
        None,
    ]
    assert serialise_each(items) == [orjson.dumps(item) for item in items]


def test_no_items_serialise_to_no_payloads():
    assert serialise_each([]) == []
