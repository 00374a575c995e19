"""Partitions, defined once: local (Asia/Shanghai) days for the feeds pulled by window."""

from __future__ import annotations

import dagster as dg

DAILY = dg.DailyPartitionsDefinition(start_date="2020-01-01", timezone="Asia/Shanghai", end_offset=1)
