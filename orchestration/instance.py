"""The persistent Dagster instance under DAGSTER_HOME, so CLI runs show in the UI afterwards.

Runs launched from the UI, schedules or sensors go through the queued run coordinator: at most
one run tagged as a warehouse writer runs at a time, the others wait in the queue. Runs started
by `zhihui run` execute in-process and take turns on the writer lock (warehouse/writer_lock.py).
"""

from __future__ import annotations

import os

from dagster import DagsterInstance

from warehouse.settings import Locations
from warehouse.writer_lock import writer_lock

WRITER_TAG = "zhihui/warehouse_writer"  # every job that writes the working warehouse carries it
MARKER = "# Written by zhihui"

INSTANCE_YAML = f"""\
{MARKER}; rewritten when zhihui changes it (delete this line to keep your own edits).
# Runs, events and schedules live in this folder.
telemetry:
  enabled: false
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
concurrency:
  runs:
    max_concurrent_runs: 4
    tag_concurrency_limits:
      - key: "{WRITER_TAG}"
        limit: 1
"""


def prepare_dagster_home(locations: Locations) -> None:
    """Point DAGSTER_HOME at the project's folder (unless set) and give it zhihui's dagster.yaml."""
    home = locations.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    config = home / "dagster.yaml"
    current = config.read_text(encoding="utf-8") if config.exists() else None
    if current is None or (current.startswith(MARKER) and current != INSTANCE_YAML):
        config.write_text(INSTANCE_YAML, encoding="utf-8")


def get_instance(locations: Locations) -> DagsterInstance:
    """The instance, its storages created under a lock.

    Two `zhihui run` started at once on a new DAGSTER_HOME would otherwise both create the SQLite
    storages and one fails on their schema migration (seen in CI: UNIQUE alembic_version).
    """
    with writer_lock(locations.dagster_home):
        prepare_dagster_home(locations)
        instance = DagsterInstance.get()
        instance.get_runs(limit=1)  # creates and migrates the run storage now, inside the lock
        instance.event_log_storage.get_asset_records([])
        _ = instance.schedule_storage
    return instance
