"""The dbt project as Dagster assets: one translator maps sources onto `raw/<channel>`.

Model keys are `<layer>/<model>`, the layer being the model's schema (staging, intermediate, mart,
audit); groups follow the layer, and dbt tests become asset checks. The manifest is parsed when
missing or older than the project.
"""

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from orchestration.resources import WarehouseResource
from warehouse.settings import DBT_BUILD_ARGS, DBT_PROJECT_DIR, Locations

# the dbt installed beside this Python, whether or not the venv is on PATH
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))
DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_manifest(project: DbtProject = DBT_PROJECT) -> None:
    """Parse the project when its manifest is missing or any project file is newer."""
    manifest = project.manifest_path
    if manifest.exists():
        built = manifest.stat().st_mtime
        sources = [
            p for folder in ("models", "seeds", "macros", "tests") for p in (project.project_dir / folder).rglob("*")
        ]
        sources.append(project.project_dir / "dbt_project.yml")
        if all(p.stat().st_mtime <= built for p in sources if p.is_file()):
            return
    # dagster-dbt's own preparer looks for `dbt` on PATH, which an unactivated venv lacks; the
    # warehouse path is the one runs will use, so their partial parse sees an unchanged profile
    environment = {**os.environ, **dbt_environment(Locations.from_env())}
    subprocess.run(
        [
            DBT_EXECUTABLE,
            "parse",
            "--quiet",
            "--project-dir",
            str(project.project_dir),
            "--profiles-dir",
            str(project.profiles_dir),
        ],
        check=True,
        cwd=project.project_dir,
        env=environment,
    )


def dbt_environment(locations: Locations) -> dict[str, str]:
    """What every dbt invocation needs in its environment."""
    return {"ZHIHUI_WAREHOUSE_PATH": str(locations.warehouse_path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


class ZhihuiTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # meta.dagster.asset_key → raw/<channel>
        return dg.AssetKey([_layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return _layer(dbt_resource_props)


def _layer(dbt_resource_props: Mapping[str, Any]) -> str:
    """The schema a node is built in is its layer: staging, intermediate, mart, audit, reference (seeds)."""
    return dbt_resource_props.get("config", {}).get("schema") or "reference"


TRANSLATOR = ZhihuiTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
ensure_manifest()


@dbt_assets(manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, dagster_dbt_translator=TRANSLATOR)
def zhihui_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    with warehouse.writer_lock() as locations:
        os.environ.update(dbt_environment(locations))
        # row counts as metadata on each model's materialisation; `build` fails on an error-severity
        # data test, so publishing never follows it (the unit tests are CI's: DBT_BUILD_ARGS). Column
        # schemas with column lineage for the UI cost minutes of per-model queries and sqlglot
        # (measured ~3 min on the demo), so they are fetched only when ZHIHUI_DBT_COLUMN_METADATA=1;
        # `zhihui lineage` writes the same as a file.
        try:
            events = dbt.cli(list(DBT_BUILD_ARGS), context=context).stream().fetch_row_counts()
            if os.environ.get("ZHIHUI_DBT_COLUMN_METADATA") == "1":
                events = events.fetch_column_metadata()
            yield from events
        finally:
            _release_duckdb_adapter()


def _release_duckdb_adapter() -> None:
    """Close the DuckDB database that the metadata queries opened through dbt-duckdb in this process.

    Left open, it makes every later step of an in-process run fail to open the warehouse
    ("same database file with a different configuration").
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def mart_asset_keys() -> list[dg.AssetKey]:
    return [key for key in zhihui_dbt_models.keys if key.path[0] == "mart"]
