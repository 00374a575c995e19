"""SQL functions the dbt models need that DuckDB does not ship, registered on every dbt connection.

`person_key(text)`: HMAC-SHA256 keyed with ZHIHUI_PII_KEY (MART.md). The key is read when dbt
opens its connection, never at import time, and never written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

DEV_PII_KEY = "zhihui-development-key-not-for-production"


def pii_key() -> bytes:
    return (os.environ.get("ZHIHUI_PII_KEY") or DEV_PII_KEY).encode()


def keyed_hash(value: str | None, key: bytes) -> str | None:
    if value is None or value == "":
        return None
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        key = pii_key()
        conn.create_function(
            "person_key",
            lambda value: keyed_hash(value, key),
            ["VARCHAR"],
            "VARCHAR",
            null_handling="special",
            side_effects=False,
        )
