"""Fault injection: deterministic per seed, bounded, and survivable by a client that retries."""

from __future__ import annotations

import hashlib
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from simulator import FaultPlan, Simulation
from simulator.faults import FaultInjector
from simulator.feeds.petition import DTD_VARIANTS
from tests.simulator.helpers import truth_ids
from tests.simulator.test_minsheng_feed import full_sync, sync


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    plan = FaultPlan(rate=0.4, stall_seconds=0.5, max_consecutive=2)
    with Simulation(
        tmp_path_factory.mktemp("faulty"), date(2025, 6, 1), days=2, appeals_per_day=100, faults=plan
    ) as sim:
        yield sim


def retrying_get(url: str, seen: set[str], attempts: int = 6, **kwargs) -> requests.Response:
    for _ in range(attempts):
        try:
            response = requests.get(url, timeout=0.3, **kwargs)
            body = response.json() if "json" in response.headers.get("Content-Type", "") else {}
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError, ValueError) as e:
            seen.add(type(e).__name__)
            continue
        if response.status_code >= 500 or response.status_code == 429:
            seen.add(str(response.status_code))
            time.sleep(0.05)
            continue
        if isinstance(body, dict) and (
            body.get("code") in (40101, 42901, 50001) or body.get("errorCode") == "SYS_BUSY"
        ):
            seen.add(str(body.get("code") or body.get("errorCode")))
            kwargs = refresh(kwargs)
            continue
        return response
    raise AssertionError(f"no answer after {attempts} attempts: {url}")


def refresh(kwargs: dict) -> dict:
    refresher = kwargs.get("headers", {}).get("_refresh")
    return refresher() if refresher else kwargs


def test_a_retrying_client_reads_every_city_mgmt_case_despite_faults(faulty):
    env, seen, ids = faulty.env, set(), set()
    start = int(faulty.clock.timestamp() * 1000) - 3 * 86_400_000
    for day in range(3):
        offset = 0
        while True:
            window = {
                "startTime": start + day * 86_400_000,
                "endTime": start + (day + 1) * 86_400_000,
                "offset": offset,
                "limit": 2,
            }
            body = retrying_get(
                f"{env['CITY_MGMT_BASE_URL']}/openapi/cases",
                seen,
                params=window,
                headers={"X-Api-Key": env["CITY_MGMT_API_KEY"]},
            ).json()
            ids |= {row["caseId"] for row in body["rows"]}
            offset += len(body["rows"])
            if offset >= body["total"]:
                break
    assert ids == truth_ids(faulty, "city_mgmt")
    assert len(seen) >= 3  # several kinds of trouble were met on the way


def test_opinion_lines_are_sometimes_truncated_but_keep_their_id(faulty):
    env, broken = faulty.env, 0
    for _ in range(12):
        try:
            response = requests.get(
                f"{env['OPINION_BASE_URL']}/v1/mentions",
                timeout=0.3,
                headers={"Authorization": f"Token {env['OPINION_TOKEN']}"},
            )
        except requests.RequestException:
            continue
        if response.status_code != 200:
            continue
        for line in response.content.splitlines():
            assert line.startswith(b'{"id":"')
            broken += not line.endswith(b"}")
    assert broken


def test_the_same_request_is_never_faulted_more_than_max_consecutive_times():
    injector = FaultInjector(FaultPlan(rate=1.0, kinds={"http_500"}, max_consecutive=2), "hotline", 1)
    draws = [injector.draw("GET /same") for _ in range(9)]
    assert draws == ["http_500", "http_500", None] * 3


def test_fault_draws_are_deterministic_per_seed_and_feed():
    plan = FaultPlan(rate=0.3)
    first_stream, second_stream = FaultInjector(plan, "city_mgmt", 5), FaultInjector(plan, "city_mgmt", 5)
    first = [first_stream.draw(f"k{i}") for i in range(50)]
    again = [second_stream.draw(f"k{i}") for i in range(50)]
    assert first == again and any(first) and FaultPlan.none().kinds_for("hotline") == []


def test_a_half_written_petition_export_is_completed_on_a_later_tick(tmp_path):
    plan = FaultPlan(rate=1.0, kinds={"md5_mismatch"}, max_consecutive=5)
    with Simulation(tmp_path / "petition", date(2025, 6, 1), days=2, appeals_per_day=100, faults=plan) as sim:
        folder = Path(sim.env["PETITION_DROP_DIR"])
        assert any(not matches(path) for path in folder.glob("*.xml"))
        sim.set_clock(sim.clock)
        assert all(matches(path) for path in folder.glob("*.xml"))
        sim.set_clock(sim.clock + timedelta(days=1))
        assert any(not matches(path) for path in folder.glob("*.xml"))


def matches(path: Path) -> bool:
    return path.with_name(path.name + ".md5").read_text().split()[0] == hashlib.md5(path.read_bytes()).hexdigest()


def test_unknown_fault_kinds_are_refused():
    with pytest.raises(ValueError):
        FaultPlan(rate=0.1, kinds={"gremlins"})


def test_a_petition_export_declaring_a_dtd_comes_only_when_asked_for_complete_and_refusable(tmp_path):
    assert FaultPlan(rate=1.0).kinds_for("petition") == ["md5_mismatch"]  # opt-in: not among "every kind"
    plan = FaultPlan(rate=1.0, kinds={"dtd_entity"})
    world = {"start": date(2025, 6, 1), "days": 3, "appeals_per_day": 100}
    with Simulation(tmp_path / "plain", **world) as plain:
        exports = {path.name: path.read_bytes() for path in Path(plain.env["PETITION_DROP_DIR"]).glob("*.xml")}
    with Simulation(tmp_path / "hostile", **world, faults=plan) as sim:
        folder = Path(sim.env["PETITION_DROP_DIR"])
        hostile = {path.name: path.read_bytes() for path in folder.glob("*.xml")}
        assert hostile.keys() == exports.keys() and all(matches(folder / name) for name in hostile)
        variants = set()
        for name, content in hostile.items():
            with pytest.raises(DefusedXmlException):
                fromstring(content.decode("gb18030"), forbid_dtd=True, forbid_entities=True, forbid_external=True)
            doctype, reference = next((d, r) for d, r in DTD_VARIANTS if d.encode("gbk") in content)
            variants.add(doctype)
            restored = content.replace(doctype.encode("gbk") + b"\n", b"", 1).replace(reference.encode("gbk"), b"", 1)
            assert restored == exports[name]  # the same export otherwise, well-formed and GBK
        assert len(variants) > 1
        sim.set_clock(sim.clock)  # a tick does not repair it
        assert {path.name: path.read_bytes() for path in folder.glob("*.xml")} == hostile


def test_the_sync_token_fault_refuses_only_tokens_issued_before_the_clock_last_ticked(tmp_path):
    plan = FaultPlan(rate=1.0, kinds={"sync_token_expired"}, max_consecutive=3)
    with Simulation(tmp_path / "minsheng", date(2025, 6, 1), days=2, appeals_per_day=100, faults=plan) as sim:
        items, deleted, token = full_sync(sim, limit=7)  # every page's token was just issued: never refused
        assert {item["id"] for item in items} | set(deleted) == truth_ids(sim, "minsheng")
        assert sync(sim, token=token, limit=7).status_code == 200  # nor the last one, at the same tick
        sim.set_clock(sim.clock)  # same moment, later tick: the stored token is now "earlier"
        answers = [sync(sim, token=token, limit=7) for _ in range(4)]
        statuses = [answer.status_code for answer in answers]
        assert statuses[0] == 410 and answers[0].json() == {"error": "token_expired"}
        assert statuses.count(410) <= plan.max_consecutive and statuses[-1] == 200  # retrying gets through
        fresh = answers[-1].json()["next_token"]
        assert sync(sim, token=fresh, limit=7).status_code == 200
