"""What every dbt connection gets from the project's DuckDB plugin besides person_key: the memory
limit of ZHIHUI_DUCKDB_MEMORY_LIMIT when it is set, DuckDB's own default when it is not."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.duckdb_functions import Plugin


def memory_limit_after_configure(monkeypatch: pytest.MonkeyPatch, value: str | None) -> str:
    if value is None:
        monkeypatch.delenv("ZHIHUI_DUCKDB_MEMORY_LIMIT", raising=False)
    else:
        monkeypatch.setenv("ZHIHUI_DUCKDB_MEMORY_LIMIT", value)
    conn = duckdb.connect()
    try:
        Plugin("warehouse.duckdb_functions", {}).configure_connection(conn)
        return conn.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        conn.close()


def test_the_memory_limit_comes_from_the_environment_when_set(monkeypatch):
    default = duckdb.connect().execute("select current_setting('memory_limit')").fetchone()[0]
    assert memory_limit_after_configure(monkeypatch, None) == default
    assert memory_limit_after_configure(monkeypatch, "1GiB") == "1.0 GiB"


def test_a_memory_limit_duckdb_cannot_read_is_a_clear_error(monkeypatch):
    with pytest.raises(duckdb.Error, match="memory"):
        memory_limit_after_configure(monkeypatch, "six gigabytes")
