"""The persistent Dagster instance under DAGSTER_HOME, so CLI runs show in the UI afterwards."""

from __future__ import annotations

import os

from dagster import DagsterInstance

from warehouse.settings import Locations

INSTANCE_YAML = """\
# Written by zhihui on first use. Runs, events and schedules live in this folder.
telemetry:
  enabled: false
"""


def prepare_dagster_home(locations: Locations) -> None:
    """Point DAGSTER_HOME at the project's folder (unless set) and give it a dagster.yaml."""
    home = locations.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_YAML, encoding="utf-8")


def get_instance(locations: Locations) -> DagsterInstance:
    prepare_dagster_home(locations)
    return DagsterInstance.get()
