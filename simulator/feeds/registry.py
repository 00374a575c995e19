"""Which app serves which channel, with which credentials and faults."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.feeds.hotline import HotlineApp
from simulator.feeds.http import FeedServer

if TYPE_CHECKING:
    from simulator.simulation import Simulation


def build_feeds(sim: Simulation) -> tuple[dict[str, FeedServer], object | None]:
    from simulator.simulation import CREDENTIALS

    store, clock = sim.store, sim.sim_clock
    apps = {
        "hotline": HotlineApp(store, clock, CREDENTIALS["HOTLINE_CLIENT_ID"], CREDENTIALS["HOTLINE_CLIENT_SECRET"]),
    }
    servers = {key: FeedServer(app, sim.injector(key)) for key, app in apps.items()}
    return servers, None
