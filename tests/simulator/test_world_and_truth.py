"""The generated world: determinism, ground truth, and the realism the pipeline is measured on."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict
from datetime import date

import requests

from simulator import Simulation
from simulator.geo import wgs84_to_gcj02
from simulator.world.persons import resident_id_check
from tests.simulator.conftest import DAYS, START, VOLUME


def served_bytes(sim) -> str:
    """A digest of what several feeds serve, byte for byte."""
    env, digest = sim.env, hashlib.sha256()
    token = requests.post(
        f"{env['HOTLINE_BASE_URL']}/oauth/token",
        timeout=10,
        data={
            "grant_type": "client_credentials",
            "client_id": env["HOTLINE_CLIENT_ID"],
            "client_secret": env["HOTLINE_CLIENT_SECRET"],
        },
    ).json()["access_token"]
    digest.update(
        requests.get(
            f"{env['HOTLINE_BASE_URL']}/api/v2/workorders",
            timeout=10,
            params={"updated_from": "2025-06-01T00:00:00", "updated_to": "2025-06-05T00:00:00", "page_size": 500},
            headers={"Authorization": f"Bearer {token}"},
        ).content
    )
    digest.update(
        requests.get(
            f"{env['OPINION_BASE_URL']}/v1/mentions",
            timeout=10,
            headers={"Authorization": f"Token {env['OPINION_TOKEN']}"},
        ).content
    )
    digest.update(
        requests.get(
            f"{env['WENJI_BASE_URL']}/export/suggestions.csv", params={"date": "2025-06-02"}, timeout=10
        ).content
    )
    for path in sorted((sim.workdir / "petition_drop").iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update(sim.truth_path.read_bytes())
    return digest.hexdigest()


def test_the_same_seed_serves_the_same_bytes(sim, tmp_path):
    with Simulation(tmp_path / "again", START, days=DAYS, appeals_per_day=VOLUME) as again:
        assert served_bytes(again) == served_bytes(sim)
    with Simulation(tmp_path / "other", START, days=DAYS, appeals_per_day=VOLUME, seed=7) as other:
        assert served_bytes(other) != served_bytes(sim)


def test_truth_links_records_to_appeals_and_incidents(sim):
    with sim.truth_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert set(rows[0]) == {"channel", "source_record_id", "appeal_id", "incident_id"}
    per_appeal = defaultdict(set)
    per_incident = Counter()
    for row in rows:
        per_appeal[row["appeal_id"]].add((row["channel"], row["source_record_id"]))
    for appeal_id in per_appeal:
        per_incident[next(r["incident_id"] for r in rows if r["appeal_id"] == appeal_id)] += 1
    person_appeals = [records for records in per_appeal.values() if not any(c == "opinion" for c, _ in records)]
    several = sum(len(records) > 1 for records in person_appeals) / len(person_appeals)
    assert 0.08 <= several <= 0.25
    assert max(per_incident.values()) >= 10 and min(per_incident.values()) == 1
    assert Counter(row["channel"] for row in rows).most_common(1)[0][0] == "hotline"


def test_summary_counts_what_is_served(sim):
    served = sim.summary["records_served"]
    with sim.truth_path.open(encoding="utf-8") as handle:
        counted = Counter(row["channel"] for row in csv.DictReader(handle))
    assert served == {channel: counted.get(channel, 0) for channel in served}


def test_a_channel_subset_serves_only_those_channels(tmp_path):
    with Simulation(
        tmp_path / "subset", date(2025, 6, 1), days=1, appeals_per_day=50, channels=["hotline"]
    ) as only_hotline:
        served = only_hotline.summary["records_served"]
        assert served["hotline"] > 0 and sum(served.values()) == served["hotline"]


def test_resident_ids_carry_a_valid_check_digit():
    assert resident_id_check("11010519491231002") == "X"
    assert resident_id_check("44052418800101001") == "4"


def test_gcj02_shifts_nanchang_by_a_few_hundred_metres():
    lat, lng = wgs84_to_gcj02(28.68, 115.89)
    assert 0.001 < abs(lat - 28.68) + abs(lng - 115.89) < 0.01
