"""Small client helpers for the simulator's conformance tests."""

from __future__ import annotations

import csv
import time

import requests


def truth_ids(sim, channel: str) -> set[str]:
    with sim.truth_path.open(encoding="utf-8") as handle:
        return {row["source_record_id"] for row in csv.DictReader(handle) if row["channel"] == channel}


def patient_get(url: str, **kwargs) -> requests.Response:
    """GET that honours 429 + Retry-After (wenzheng's 5 requests a second)."""
    for _ in range(20):
        response = requests.get(url, timeout=10, **kwargs)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("Retry-After", "1")))
    raise AssertionError(f"still rate limited: {url}")
