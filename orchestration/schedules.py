"""Schedules, both STOPPED by default (turn them on in the UI, Automation tab, with the daemon running).

Hourly ingest pulls yesterday and today (local days), so updates made late in a day are caught
after midnight; the daily build at 02:00 Asia/Shanghai builds and publishes what raw holds.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg

from orchestration.jobs import BUILD_PUBLISH_JOB, INGEST_JOB
from orchestration.partitions import PARTITION_RANGE_TAGS, WINDOW_TAGS

LOCAL_TZ = "Asia/Shanghai"


def window_tags(start: date, end: date) -> dict[str, str]:
    """The run tags that make a job cover local days start..end (partition range + window)."""
    window = (start.isoformat(), end.isoformat())
    return {**dict(zip(PARTITION_RANGE_TAGS, window, strict=True)), **dict(zip(WINDOW_TAGS, window, strict=True))}


@dg.schedule(
    name="zhihui_ingest_hourly",
    cron_schedule="0 * * * *",
    execution_timezone=LOCAL_TZ,
    job=INGEST_JOB,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every hour: land every feed for yesterday and today (local days).",
)
def ingest_hourly(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    now = context.scheduled_execution_time or datetime.now(ZoneInfo(LOCAL_TZ))
    today = now.astimezone(ZoneInfo(LOCAL_TZ)).date()
    return dg.RunRequest(run_key=None, tags=window_tags(today - timedelta(days=1), today))


@dg.schedule(
    name="zhihui_build_publish_daily",
    cron_schedule="0 2 * * *",
    execution_timezone=LOCAL_TZ,
    job=BUILD_PUBLISH_JOB,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every day at 02:00 Asia/Shanghai: build the models, run their tests, publish.",
)
def build_publish_daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    now = context.scheduled_execution_time or datetime.now(ZoneInfo(LOCAL_TZ))
    yesterday = now.astimezone(ZoneInfo(LOCAL_TZ)).date() - timedelta(days=1)
    # no partition tags: the job holds no partitioned asset; the window only labels the publication
    return dg.RunRequest(run_key=None, tags=dict(zip(WINDOW_TAGS, (yesterday.isoformat(),) * 2, strict=True)))


SCHEDULES = [ingest_hourly, build_publish_daily]
