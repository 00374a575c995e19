"""A small, made-up mart with the tables and columns of MART.md, written into a working warehouse.

Lets the BI tests publish many different marts quickly, without the pipeline. Content is
pseudo-random but fixed by `seed`; `size` sets the number of complaints.
"""

from __future__ import annotations

import duckdb

from warehouse.settings import Locations

CHANNELS = ["hotline", "city_mgmt", "petition", "opinion", "wenzheng", "wenji", "minsheng"]
STREETS = ["南浦街道", "朝阳洲街道", "广润门街道", "西湖街道", "系马桩街道", "桃源街道"]
UNITS = ["区城管局", "区住建局", "区生态环境分局", "区市场监管局", "区交通运输局", "区人社局"]
CATEGORIES = [
    ("城乡建设", "城市建设和市政管理", "园林绿化环卫"),
    ("城乡建设", "住房保障与房地产", "物业管理"),
    ("环境保护", "噪声污染", "施工噪声"),
    ("交通运输", "道路交通", "占道停车"),
    ("劳动和社会保障", "劳动关系", "拖欠工资"),
    ("民政", "养老服务", "养老机构"),
]

COMPLAINTS_SQL = """
create or replace table mart.fct_complaint as
with base as (
    select i, (hash(i, $seed) % 1000000007)::bigint as h from generate_series(1, $size) as t(i)
)
select
    'C' || lpad(i::varchar, 8, '0') as complaint_id,
    'I' || lpad((i % greatest($size // 4, 1))::varchar, 6, '0') as incident_id,
    timestamptz '2025-06-01 08:00:00+08' + to_minutes(((h % 10080))::bigint) as received_at,
    $channels[1 + h % 7] as first_channel,
    list_distinct([$channels[1 + h % 7], $channels[1 + (h // 7) % 7]])[1:1 + (h // 49) % 2] as channels,
    1 + ((h // 49) % 2)::int + ((h // 343) % 2)::int as n_records,
    '投诉' as appeal_type,
    $categories[1 + (h // 11) % 6][1] as category_l1,
    $categories[1 + (h // 11) % 6][2] as category_l2,
    $categories[1 + (h // 11) % 6][3] as category_l3,
    '西湖区' as district,
    $streets[1 + (h // 13) % 6] as street,
    null::varchar as community,
    28.68 + (h % 100) / 10000.0 as lat,
    115.89 + (h % 97) / 10000.0 as lng,
    '诉求' || i as title,
    '内容' || i as content,
    null::varchar as person_key,
    ['received', 'dispatched', 'processing', 'finished', 'evaluated'][1 + (h // 17) % 5] as status,
    case when (h // 17) % 5 >= 1 then received_at + to_hours(((h // 19) % 40)::bigint) end as dispatched_at,
    case when (h // 17) % 5 >= 3 then received_at + to_hours(((h // 23) % 90)::bigint) end as finished_at,
    case when (h // 17) % 5 = 4 then received_at + to_hours(100) end as evaluated_at,
    (received_at + interval 3 day)::date as deadline,
    (h // 29) % 9 = 0 as is_overdue,
    $units[1 + (h // 31) % 6] as handling_unit,
    case when (h // 17) % 5 = 4 then (h // 37) % 4 <> 0 end as is_resolved,
    case when (h // 17) % 5 = 4 then ['satisfied', 'basic', 'dissatisfied'][1 + (h // 41) % 3] end as satisfaction,
    false as is_withdrawn,
    true as is_valid,
from base
"""

OTHER_TABLES_SQL = """
create or replace table mart.bridge_complaint_source as
select complaint_id, channels[1 + (r - 1) % len(channels)] as channel,
       complaint_id || '-' || r as source_record_id,
       case when r = 1 then 'seed' else 'rule:phone_day' end as match_method,
       case when r = 1 then null else 0.9 end as match_score,
       'load-1' as load_id, received_at as loaded_at
from mart.fct_complaint, generate_series(1, n_records) as t(r);

create or replace table mart.complaint_id_history as
select 'C9' || complaint_id[2:] as old_complaint_id, complaint_id, received_at as changed_at
from mart.fct_complaint where n_records = 3;

create or replace table mart.fct_complaint_status_history as
select complaint_id, first_channel as channel, complaint_id || '-1' as source_record_id,
       'received' as status, received_at as status_at, '已受理' as raw_status
from mart.fct_complaint;

create or replace table mart.fct_incident as
select incident_id, any_value(category_l1) as category_l1, any_value(category_l2) as category_l2,
       any_value(district) as district, any_value(street) as street, avg(lat) as lat, avg(lng) as lng,
       min(received_at) as first_seen_at, max(received_at) as last_seen_at, count(*) as n_complaints,
       count(distinct first_channel) as n_channels, count(*) filter (first_channel = 'opinion') as n_opinion_posts
from mart.fct_complaint group by incident_id;

create or replace table mart.kpi_daily as
select (received_at at time zone 'Asia/Shanghai')::date as date, district, street, handling_unit, category_l1,
       count(*) as n_received, 0.9 as response_rate, 0.5 as closure_rate, 0.7 as resolution_rate,
       0.8 as satisfaction_rate, 0.95 as on_time_rate, count(*) filter (is_overdue) as n_overdue
from mart.fct_complaint group by all;

create or replace table mart.risk_alert as
select date '2025-06-07' as alert_date, '西湖区' as district, street, category_l2, count(*) as observed,
       count(*) / 2.0 as expected, 3.1 as score, '高' as level,
       street || category_l2 || '诉求较近期均值明显上升' as reason
from mart.fct_complaint group by street, category_l2 having count(*) > 3;

create or replace table mart.dim_channel as
select unnest($channels) as channel, unnest($channels) <> 'opinion' as is_handling_channel;
create or replace table mart.dim_category as
select c[1] as category_l1, c[2] as category_l2, c[3] as category_l3 from (select unnest($categories) as c);
create or replace table mart.dim_region as select '西湖区' as district, unnest($streets) as street;
create or replace table mart.dim_unit as select unnest($units) as handling_unit;
create or replace table mart.dim_date as
select d::date as date from generate_series(date '2025-06-01', date '2025-06-07', interval 1 day) as t(d);
"""


def write_sample_mart(locations: Locations, seed: int = 1, size: int = 600) -> None:
    """Replace schema `mart` of the working warehouse with a made-up mart of `size` complaints."""
    locations.ensure()
    parameters = {
        "seed": seed,
        "size": size,
        "channels": CHANNELS,
        "streets": STREETS,
        "units": UNITS,
        "categories": [list(c) for c in CATEGORIES],
    }
    with duckdb.connect(str(locations.warehouse_path)) as con:
        con.execute("set TimeZone = 'Asia/Shanghai'")
        con.execute("begin")  # one commit, not one per table: ten publishes in a test stay quick
        con.execute("create schema if not exists mart")
        con.execute(
            COMPLAINTS_SQL, {k: parameters[k] for k in ("seed", "size", "channels", "streets", "units", "categories")}
        )
        for statement in OTHER_TABLES_SQL.split(";"):
            if statement.strip():
                used = {k: v for k, v in parameters.items() if f"${k}" in statement}
                con.execute(statement, used)
        con.execute("commit")
