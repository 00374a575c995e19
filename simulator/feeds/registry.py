"""Which app serves which channel, with which credentials and faults."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.feeds.city_mgmt import CityMgmtApp
from simulator.feeds.hotline import HotlineApp
from simulator.feeds.http import FeedApp, FeedServer
from simulator.feeds.minsheng import MinshengApp
from simulator.feeds.opinion import OpinionApp
from simulator.feeds.petition import PetitionDropFolder
from simulator.feeds.wenji import WenjiApp
from simulator.feeds.wenzheng import WenzhengApp

if TYPE_CHECKING:
    from simulator.simulation import Simulation


def build_feeds(sim: Simulation) -> tuple[dict[str, FeedServer], PetitionDropFolder]:
    from simulator.simulation import CREDENTIALS, MINSHENG_PREFIX

    store, clock = sim.store, sim.sim_clock
    faults = {
        key: sim.injector(key)
        for key in ("hotline", "city_mgmt", "opinion", "wenzheng", "wenji", "minsheng", "petition")
    }
    apps: dict[str, FeedApp] = {
        "hotline": HotlineApp(store, clock, CREDENTIALS["HOTLINE_CLIENT_ID"], CREDENTIALS["HOTLINE_CLIENT_SECRET"]),
        "city_mgmt": CityMgmtApp(store, clock, CREDENTIALS["CITY_MGMT_API_KEY"]),
        "opinion": OpinionApp(store, clock, CREDENTIALS["OPINION_TOKEN"], faults["opinion"]),
        "wenzheng": WenzhengApp(store, clock),
        "wenji": WenjiApp(store, clock),
        "minsheng": MinshengApp(
            store, clock, CREDENTIALS["MINSHENG_APP_ID"], CREDENTIALS["MINSHENG_SECRET"], MINSHENG_PREFIX
        ),
    }
    servers = {
        key: FeedServer(app, faults[key], prefix=MINSHENG_PREFIX if key == "minsheng" else "")
        for key, app in apps.items()
    }
    folder = PetitionDropFolder(store, sim.petition_dir, sim.start_date, faults["petition"])
    return servers, folder
