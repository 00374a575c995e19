"""Where the platform keeps what it writes. One place reads ZHIHUI_HOME; everything else asks here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# What a production build runs: every model, seed and data test (they guard what is published),
# not the unit tests, which check the code rather than the day's data and cost 10-40 s of every
# run; CI runs those (tests/dbt/test_unit_tests.py).
DBT_BUILD_ARGS = ("build", "--exclude", "test_type:unit")


@dataclass(frozen=True)
class Locations:
    home: Path

    @classmethod
    def from_env(cls) -> Locations:
        home = os.environ.get("ZHIHUI_HOME") or str(REPO_ROOT / "warehouse" / "data")
        return cls(Path(home).expanduser().resolve())

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def published_path(self) -> Path:
        return self.published_dir / "zhihui.duckdb"

    @property
    def parquet_dir(self) -> Path:
        return self.published_dir / "parquet"

    @property
    def dagster_home(self) -> Path:
        return Path(os.environ["DAGSTER_HOME"]) if os.environ.get("DAGSTER_HOME") else self.home / "dagster_home"

    @property
    def simulator_dir(self) -> Path:
        return self.home / "simulator"

    def ensure(self) -> Locations:
        for folder in (self.home, self.published_dir, self.parquet_dir, self.dagster_home):
            folder.mkdir(parents=True, exist_ok=True)
        return self
