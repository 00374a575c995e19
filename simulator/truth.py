"""Ground truth for deduplication and clustering (feeds/README.md), and a summary of the world.

`truth.csv` covers exactly the records a client can have received by the clock: every record
whose feed has shown it (withdrawn and voided ones included).
"""

from __future__ import annotations

import csv
from pathlib import Path

from simulator.store import StoreReader

CHANNEL_ORDER = ("hotline", "city_mgmt", "petition", "opinion", "wenzheng", "wenji", "minsheng")


def write_truth(store: StoreReader, now_ms: int, path: Path) -> int:
    tmp = path.with_suffix(".csv.tmp")
    n = 0
    with tmp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("channel", "source_record_id", "appeal_id", "incident_id"))
        for row in store.iterate(
            "select channel, record_id, appeal_id, incident_id from records where served_from_ms <= ?"
            " order by channel, record_id",
            (now_ms,),
        ):
            writer.writerow(row)
            n += 1
    tmp.replace(path)
    return n


def summarise(store: StoreReader, now_ms: int, generation: dict[str, int]) -> dict:
    """What was made (whole run) and what is served as of the clock."""
    made = dict(store.rows("select channel, count(*) from records group by channel"))
    served = dict(
        store.rows("select channel, count(*) from records where served_from_ms <= ? group by channel", (now_ms,))
    )
    appeals_served, multi_record, multi_channel = store.one(
        """select count(*), coalesce(sum(n > 1), 0), coalesce(sum(channels > 1), 0) from (
             select appeal_id, count(*) as n, count(distinct channel) as channels
             from records where served_from_ms <= ? and channel != 'opinion' group by appeal_id)""",
        (now_ms,),
    )
    incidents_served, big_incidents = store.one(
        """select count(*), coalesce(sum(n >= 10), 0) from (
             select incident_id, count(distinct appeal_id) as n from records
             where served_from_ms <= ? group by incident_id)""",
        (now_ms,),
    )
    largest = store.one(
        "select coalesce(max(n), 0) from (select count(distinct appeal_id) as n from records group by incident_id)"
    )[0]
    return {
        "records_made": {c: made.get(c, 0) for c in CHANNEL_ORDER},
        "records_served": {c: served.get(c, 0) for c in CHANNEL_ORDER},
        "generation": generation,
        "served_non_opinion_appeals": appeals_served,
        "served_appeals_with_several_records": multi_record,
        "served_appeals_on_several_channels": multi_channel,
        "share_appeals_with_several_records": round(multi_record / appeals_served, 4) if appeals_served else 0.0,
        "share_appeals_on_several_channels": round(multi_channel / appeals_served, 4) if appeals_served else 0.0,
        "served_incidents": incidents_served,
        "served_incidents_with_10_or_more_appeals": big_incidents,
        "largest_incident_appeals": largest,
    }
