"""Resources: where the warehouse is, and the dbt CLI. Read from the environment at run time only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from warehouse.settings import Locations
from warehouse.writer_lock import writer_lock


class WarehouseResource(dg.ConfigurableResource):
    """The working warehouse under ZHIHUI_HOME (warehouse/settings.py); empty `home` means from env."""

    home: str = ""

    def locations(self) -> Locations:
        if self.home:
            return Locations(Path(self.home).expanduser().resolve()).ensure()
        return Locations.from_env().ensure()

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection that may write, held only while this process holds the writer lock."""
        locations = self.locations()
        with writer_lock(locations.home), duckdb.connect(str(locations.warehouse_path)) as con:
            yield con

    @contextmanager
    def writer_lock(self) -> Iterator[Locations]:
        locations = self.locations()
        with writer_lock(locations.home):
            yield locations
