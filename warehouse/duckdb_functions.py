"""SQL functions the dbt models need that DuckDB does not ship, registered on every dbt connection,
and the connection's memory limit.

`person_key(text)`: HMAC-SHA256 keyed with ZHIHUI_PII_KEY (MART.md). The key is read when dbt
opens its connection, never at import time, and never written anywhere. The function is an
Arrow UDF: DuckDB hands it whole vectors (2048 values), not one Python call per row, which keeps
millions of staging rows fast (docs/normalisation.md, "Persons"). The HMAC's inner and outer
SHA-256 states are keyed once per connection and copied per value (RFC 2104): the same digests as
`hmac.new` at under half its cost, which set the key up again for every value.

ZHIHUI_DUCKDB_MEMORY_LIMIT (e.g. `6GB`), when set, is DuckDB's `memory_limit` for the build: past
it DuckDB spills to disk, slower but within the machine's memory. Unset, DuckDB's default holds
(80 % of RAM), which a profile setting cannot express, hence here.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

DEV_PII_KEY = "zhihui-development-key-not-for-production"
HASH_BLOCK_SIZE = 64  # SHA-256's block, the HMAC key's length


def pii_key() -> bytes:
    return (os.environ.get("ZHIHUI_PII_KEY") or DEV_PII_KEY).encode()


def keyed_hash(value: str | None, key: bytes) -> str | None:
    if value is None or value == "":
        return None
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def keyed_hashes(key: bytes) -> Callable[[pa.Array], pa.Array]:
    """The vectorised person_key: one Arrow array of texts in, their keyed hashes out (keyed_hash of each)."""
    block = (hashlib.sha256(key).digest() if len(key) > HASH_BLOCK_SIZE else key).ljust(HASH_BLOCK_SIZE, b"\0")
    inner_keyed = hashlib.sha256(bytes(byte ^ 0x36 for byte in block))
    outer_keyed = hashlib.sha256(bytes(byte ^ 0x5C for byte in block))

    def keyed(value: str | None) -> str | None:
        if value is None or value == "":
            return None
        inner = inner_keyed.copy()
        inner.update(value.encode())
        outer = outer_keyed.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    def hash_vector(values: pa.Array | pa.ChunkedArray) -> pa.Array:
        return pa.array([keyed(value) for value in values.to_pylist()], pa.string())

    return hash_vector


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        memory_limit = os.environ.get("ZHIHUI_DUCKDB_MEMORY_LIMIT")
        if memory_limit:
            conn.execute("set memory_limit = ?", [memory_limit])
        conn.create_function(
            "person_key",
            keyed_hashes(pii_key()),
            ["VARCHAR"],
            "VARCHAR",
            type="arrow",
            null_handling="special",
            side_effects=False,
        )
