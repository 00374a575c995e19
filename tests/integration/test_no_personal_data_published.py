"""No raw personal data in the published copy (MART.md): every text column scanned for what the feeds sent."""

from __future__ import annotations

import re

import duckdb

# where each channel's payload carries a person's name, phone and resident id (feeds/*.md)
PERSONAL_FIELDS = {
    "hotline": ("caller_name", "caller_phone", None),
    "petition": ("信访人姓名", "联系电话", "证件号码"),
    "minsheng": ("name", "phone", None),
    "wenji": (None, "手机号码", None),
}
POLITE_FORM = re.compile(r"^.(先生|女士)$")  # a surname with 先生/女士 is not a name (MART.md)


def personal_values(warehouse_path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"name": set(), "phone": set(), "resident_id": set()}
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        for channel, fields in PERSONAL_FIELDS.items():
            for kind, field in zip(("name", "phone", "resident_id"), fields, strict=True):
                if field is None:
                    continue
                path = f"'$.\"{field}\"'"
                values = con.execute(
                    f"select distinct payload ->> {path} from raw.{channel} where payload ->> {path} <> ''"
                ).fetchall()
                found[kind] |= {value for (value,) in values if value}
    found["name"] = {name for name in found["name"] if len(name) >= 2 and not POLITE_FORM.match(name)}
    # the digits alone as well as the typed form (`138-0000-1234`, `+86 138 0000 1234`)
    found["phone"] |= {re.sub(r"\D", "", phone)[-11:] for phone in found["phone"]}
    found["phone"] = {phone for phone in found["phone"] if len(re.sub(r"\D", "", phone)) >= 7}
    return found


def published_text(published_path) -> list[tuple[str, str, str]]:
    with duckdb.connect(str(published_path), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'mart' and data_type = 'VARCHAR'"
        ).fetchall()
        rows = []
        for table, column in columns:
            query = f'select distinct "{column}" from mart."{table}" where "{column}" is not null'
            rows += [(table, column, value) for (value,) in con.execute(query).fetchall()]
        return rows


def test_no_name_phone_or_resident_id_sent_by_a_feed_appears_in_any_published_text(published_world):
    secrets = personal_values(published_world.locations.warehouse_path)
    assert secrets["phone"] and secrets["name"], "the simulated feeds sent no personal data to look for"
    text = published_text(published_world.locations.published_path)
    hits = [
        (table, column, kind, secret)
        for table, column, value in text
        for kind, values in secrets.items()
        for secret in values
        if secret in value
    ]
    assert hits == [], hits[:20]
