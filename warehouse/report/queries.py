"""What the report shows, read from the published BI copy (never the working warehouse).

The mart keeps every day ever landed; the report covers the last `REPORT_DAYS` days up to the
publication's window end (`complaints`, a temporary view), with rates from `kpi_counts`
(rates_sql.py). A table or column the mart lacks, or an empty table, gives an empty section,
never a failed report.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from warehouse.report.rates_sql import DERIVED_KPI_COUNTS, KPI_COUNTS, RATE_KEYS, RATES

log = logging.getLogger(__name__)

LOCAL_TIME_ZONE = "Asia/Shanghai"
REPORT_DAYS = 30


@dataclass
class Period:
    """The latest `days` days of data against the `days` before them: what changed lately."""

    recent_start: date
    end: date
    days: int

    @property
    def previous_start(self) -> date:
        return self.recent_start - timedelta(days=self.days)


@dataclass
class ReportData:
    publication: dict[str, Any] | None = None
    district: str | None = None
    days: list[date] = field(default_factory=list)
    daily_received: list[int] = field(default_factory=list)
    daily_rates: dict[str, list[float | None]] = field(default_factory=dict)
    period: Period | None = None
    rates_recent: dict[str, float | None] = field(default_factory=dict)
    rates_previous: dict[str, float | None] = field(default_factory=dict)
    rates_overall: dict[str, float | None] = field(default_factory=dict)
    n_handled: int = 0
    streets: list[tuple] = field(default_factory=list)  # name, n, four rates, n_overdue
    units: list[tuple] = field(default_factory=list)
    top_categories: list[tuple[str, int]] = field(default_factory=list)
    category_changes: list[tuple] = field(default_factory=list)  # l1, l2, recent, previous
    incidents: list[tuple] = field(default_factory=list)
    alert_date: date | None = None
    alerts: list[tuple] = field(default_factory=list)  # the 20 highest scores of the day
    n_alerts: int = 0
    channel_names: dict[str, str] = field(default_factory=dict)  # from dim_channel
    channel_days: dict[str, list[int]] = field(default_factory=dict)  # channel → records per day
    n_records: int = 0
    n_complaints: int = 0
    n_cross_channel: int = 0
    match_methods: list[tuple[str, int]] = field(default_factory=list)


def load_report_data(published: Path) -> ReportData:
    # attached from an in-memory database: duckdb.connect(path) would hand back a cached
    # instance of the file this process may still hold open, i.e. the previous mart
    with duckdb.connect() as con:
        con.execute(f"set TimeZone = '{LOCAL_TIME_ZONE}'")
        con.execute(f"attach '{str(published).replace(chr(39), chr(39) * 2)}' as published (read_only)")
        con.execute("use published")
        return _Reader(con).read()


class _Reader:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.last_day: date | None = None  # the report's last day

    def rows(self, sql: str, parameters: list | None = None) -> list[tuple]:
        try:
            return self.con.execute(sql, parameters or []).fetchall()
        except duckdb.Error as error:  # a table or column this mart lacks: the section stays empty
            log.warning("report query skipped: %s", str(error).splitlines()[0])
            return []

    def read(self) -> ReportData:
        data = ReportData()
        self.read_publication(data)
        self.define_complaints(data)
        district = self.rows("select district from complaints group by 1 order by count(*) desc limit 1")
        data.district = district[0][0] if district else None
        self.read_daily(data)
        self.read_breakdowns(data)
        self.read_incidents_and_alerts(data)
        self.read_channels(data)
        return data

    def read_publication(self, data: ReportData) -> None:
        found = self.rows(
            "select run_id, window_start, window_end, published_at, table_rows::varchar from mart.publication"
        )
        if found:
            run_id, start, end, published_at, table_rows = found[0]
            data.publication = {
                "run_id": run_id,
                "window_start": start,
                "window_end": end,
                "published_at": published_at,
                "table_rows": json.loads(table_rows) if table_rows else {},
            }

    def define_complaints(self, data: ReportData) -> None:
        """`complaints`: fct_complaint received in the report's days, ending at the window's end."""
        window_end = (data.publication or {}).get("window_end")
        latest = self.rows("select max(received_at::date) from mart.fct_complaint")
        last = window_end or (latest[0][0] if latest else None)
        if last is None:
            return
        self.last_day = last
        first = last - timedelta(days=REPORT_DAYS - 1)
        self.rows(
            "create temp view complaints as select * from mart.fct_complaint "
            f"where received_at::date between date '{first.isoformat()}' and date '{last.isoformat()}'"
        )
        columns = {row[0] for row in self.rows("select column_name from (describe mart.kpi_daily)")}
        if columns >= set(KPI_COUNTS):
            self.rows(
                "create temp view kpi_counts as select * from mart.kpi_daily "
                f"where date between date '{first.isoformat()}' and date '{last.isoformat()}'"
            )
        else:
            self.rows(f"create temp view kpi_counts as {DERIVED_KPI_COUNTS}")

    def read_daily(self, data: ReportData) -> None:
        daily = self.rows(f"select date, {RATES} from kpi_counts group by 1 order by 1")
        data.days = [row[0] for row in daily if row[0] is not None]
        data.daily_received = [row[1] for row in daily if row[0] is not None]
        data.daily_rates = {key: [row[2 + i] for row in daily if row[0] is not None] for i, key in enumerate(RATE_KEYS)}
        data.n_handled = sum(data.daily_received)
        if not data.days:
            return
        span = (data.days[-1] - data.days[0]).days + 1
        length = 7 if span >= 14 else max(span // 2, 1)
        data.period = Period(recent_start=data.days[-1] - timedelta(days=length - 1), end=data.days[-1], days=length)
        between = "date between ? and ?"
        for target, start, end in (
            ("rates_overall", data.days[0], data.days[-1]),
            ("rates_recent", data.period.recent_start, data.period.end),
            ("rates_previous", data.period.previous_start, data.period.recent_start - timedelta(days=1)),
        ):
            found = self.rows(f"select {RATES} from kpi_counts where {between}", [start, end])
            values = found[0][1:5] if found and found[0][0] else (None,) * 4
            setattr(data, target, dict(zip(RATE_KEYS, values, strict=True)))

    def read_breakdowns(self, data: ReportData) -> None:
        for target, column, missing in (("streets", "street", "未能定位"), ("units", "handling_unit", "尚未派单")):
            setattr(
                data,
                target,
                self.rows(
                    f"select coalesce({column}, '{missing}'), {RATES} from kpi_counts "
                    "group by 1 order by 2 desc, 1 limit 15"
                ),
            )
        data.top_categories = self.rows(
            "select coalesce(category_l1, '未分类'), count(*) from complaints group by 1 order by 2 desc, 1 limit 10"
        )
        if data.period:
            data.category_changes = self.rows(
                """
                select coalesce(category_l1, '未分类'), coalesce(category_l2, '（未细分）'),
                    count(*) filter (received_at::date between ? and ?) as recent,
                    count(*) filter (received_at::date between ? and ?) as previous
                from complaints group by 1, 2
                having recent + previous > 0
                order by abs(recent - previous) desc, recent desc, 1, 2 limit 10
                """,
                [
                    data.period.recent_start,
                    data.period.end,
                    data.period.previous_start,
                    data.period.recent_start - timedelta(days=1),
                ],
            )

    def read_incidents_and_alerts(self, data: ReportData) -> None:
        data.incidents = self.rows(
            """
            select i.incident_id, coalesce(i.category_l2, i.category_l1), i.street, i.n_complaints, i.n_channels,
                i.n_opinion_posts, i.first_seen_at, i.last_seen_at,
                (select arg_min(c.title, c.received_at) from complaints c where c.incident_id = i.incident_id)
            from mart.fct_incident i
            where i.incident_id in (select incident_id from complaints)
            order by i.n_complaints desc, i.last_seen_at desc limit 10
            """
        )
        latest = self.rows("select max(alert_date) from mart.risk_alert where alert_date <= ?", [self.last_day])
        data.alert_date = latest[0][0] if latest else None
        if data.alert_date:
            data.n_alerts = self.rows("select count(*) from mart.risk_alert where alert_date = ?", [data.alert_date])[
                0
            ][0]
            data.alerts = self.rows(
                "select level, street, category_l2, observed, expected, score, reason from mart.risk_alert "
                "where alert_date = ? order by score desc nulls last, observed desc limit 20",
                [data.alert_date],
            )

    def read_channels(self, data: ReportData) -> None:
        counts = self.rows(
            "select (select count(*) from mart.bridge_complaint_source semi join complaints using (complaint_id)), "
            "(select count(*) from complaints), (select count(*) from complaints where len(channels) > 1)"
        )
        if counts:
            data.n_records, data.n_complaints, data.n_cross_channel = counts[0]
        data.match_methods = self.rows(
            "select coalesce(match_method, '未标注'), count(*) from mart.bridge_complaint_source "
            "semi join complaints using (complaint_id) group by 1 order by 2 desc"
        )
        per_day = self.rows(
            "select c.received_at::date, b.channel, count(*) from mart.bridge_complaint_source b "
            "join complaints c using (complaint_id) group by all"
        )
        data.channel_names = dict(self.rows("select channel, channel_name from mart.dim_channel"))
        position = {day: i for i, day in enumerate(data.days)}
        for day, channel, count in per_day:
            if day in position:
                data.channel_days.setdefault(channel, [0] * len(data.days))[position[day]] += count
