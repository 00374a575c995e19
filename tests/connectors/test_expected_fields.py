"""Every channel declares the payload fields its contract promises, and the simulated feeds send no others."""

from __future__ import annotations

import pytest

from connectors.registry import CHANNEL_KEYS, CONNECTORS
from tests.connectors.conftest import WINDOW
from tests.connectors.ingestion import ingest


@pytest.mark.parametrize("channel", CHANNEL_KEYS)
def test_every_channel_declares_its_expected_fields(channel):
    assert CONNECTORS[channel].expected_fields


def test_payloads_landed_from_every_simulated_feed_carry_only_expected_fields(simulate, warehouse):
    sim = simulate()
    for channel in CHANNEL_KEYS:
        ingest(warehouse, channel, sim.env, WINDOW)
        query = f"select distinct unnest(json_keys(payload::json)) from raw.{channel}"
        seen = {field for (field,) in warehouse.execute(query).fetchall()}
        assert seen, channel
        assert seen <= CONNECTORS[channel].expected_fields, (channel, seen - CONNECTORS[channel].expected_fields)
