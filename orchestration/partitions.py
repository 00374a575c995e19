"""Partitions, defined once: local (Asia/Shanghai) days for the feeds pulled by window."""

from __future__ import annotations

import dagster as dg

DAILY = dg.DailyPartitionsDefinition(start_date="2020-01-01", timezone="Asia/Shanghai", end_offset=1)

# The run tags that make a run cover local days start..end: Dagster's partition range (raw assets)
# and zhihui's own window (which labels the publication).
PARTITION_RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")
WINDOW_TAGS = ("zhihui/window_start", "zhihui/window_end")
