"""The ways docs/bi.md tells BI users to connect, each exercised against a published mart."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.bi.sample_mart import write_sample_mart
from warehouse.publish import publish_mart
from warehouse.settings import Locations

MART_TABLES = {
    "fct_complaint",
    "complaint_id_history",
    "bridge_complaint_source",
    "fct_complaint_status_history",
    "fct_incident",
    "kpi_daily",
    "risk_alert",
    "publication",
}


def _table_rows(locations: Locations) -> dict[str, int]:
    with duckdb.connect(str(locations.published_path), read_only=True) as con:
        return json.loads(con.execute("select table_rows::varchar from mart.publication").fetchone()[0])


def test_python_duckdb_reads_the_mart_read_only_and_cannot_write(sample_published):
    with duckdb.connect(str(sample_published.published_path), read_only=True) as con:
        assert con.execute("select count(*) from mart.fct_complaint").fetchone()[0] == 900
        run_id, start, end = con.execute("select run_id, window_start, window_end from mart.publication").fetchone()
        assert (run_id, str(start), str(end)) == ("sample-run", "2025-06-01", "2025-06-07")
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("create table mart.mine as select 1")


def test_pandas_gets_a_data_frame_from_duckdb_and_from_sqlalchemy(sample_published):
    with duckdb.connect(str(sample_published.published_path), read_only=True) as con:
        frame = con.sql("select * from mart.kpi_daily").df()
    assert len(frame) == _table_rows(sample_published)["kpi_daily"]
    assert {"date", "street", "response_rate", "n_received"} <= set(frame.columns)

    engine = sa.create_engine(f"duckdb:///{sample_published.published_path}", poolclass=NullPool)
    streets = pd.read_sql("select street, count(*) as n from mart.fct_complaint group by street", engine)
    assert streets["n"].sum() == 900


def test_sqlalchemy_through_duckdb_engine_lists_and_queries_the_mart_read_only(sample_published):
    url = f"duckdb:///{sample_published.published_path}"
    engine = sa.create_engine(url, connect_args={"read_only": True}, poolclass=NullPool)
    assert set(sa.inspect(engine).get_table_names(schema="mart")) >= MART_TABLES  # what Superset lists
    with engine.connect() as connection:
        n = connection.execute(sa.text("select count(*) from mart.bridge_complaint_source")).scalar_one()
    assert n == _table_rows(sample_published)["bridge_complaint_source"]


def test_sqlalchemy_url_alone_can_open_the_mart_read_only_as_superset_is_configured(sample_published):
    engine = sa.create_engine(f"duckdb:///{sample_published.published_path}?access_mode=read_only", poolclass=NullPool)
    with engine.connect() as connection:
        assert connection.execute(sa.text("select count(*) from mart.fct_incident")).scalar_one() > 0
        with pytest.raises(sa.exc.DBAPIError, match="read-only"):
            connection.execute(sa.text("create table mart.mine (a int)"))


def test_every_mart_table_is_a_parquet_file_of_the_same_publication(sample_published):
    files = sorted(sample_published.parquet_dir.glob("*.parquet"))
    assert {f.stem for f in files} >= MART_TABLES
    table_rows = _table_rows(sample_published)
    stamps = {pq.read_schema(f).metadata[b"zhihui_publication_id"] for f in files}
    assert len(stamps) == 1
    for name, rows in table_rows.items():
        assert pq.read_table(sample_published.parquet_dir / f"{name}.parquet").num_rows == rows
    publication = pq.read_table(sample_published.parquet_dir / "publication.parquet").to_pylist()[0]
    assert publication["publication_id"].encode() in stamps


def test_a_connection_kept_open_keeps_its_mart_until_it_reconnects(tmp_path):
    locations = Locations(tmp_path / "home").ensure()
    write_sample_mart(locations, seed=1, size=100)
    publish_mart(locations, run_id="first")
    held = duckdb.connect(str(locations.published_path), read_only=True)
    write_sample_mart(locations, seed=2, size=200)
    publish_mart(locations, run_id="second")
    assert held.execute(
        "select run_id, (select count(*) from mart.fct_complaint) from mart.publication"
    ).fetchone() == (
        "first",
        100,
    )
    held.close()
    with duckdb.connect(str(locations.published_path), read_only=True) as con:
        assert con.execute("select run_id from mart.publication").fetchone()[0] == "second"
