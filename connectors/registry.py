"""The channels the platform integrates, in the order of feeds/README.md.

The order matters beyond display: it breaks ties when complaints merge (MART.md,
complaint_id_history). Adding a channel is one line here.
"""

from __future__ import annotations

from connectors.channels.city_mgmt import CityMgmtConnector
from connectors.channels.hotline import HotlineConnector
from connectors.channels.minsheng import MinshengConnector
from connectors.channels.opinion import OpinionConnector
from connectors.channels.petition import PetitionConnector
from connectors.channels.wenji import WenjiConnector
from connectors.channels.wenzheng import WenzhengConnector
from connectors.core.channel import Connector

CONNECTORS: dict[str, type[Connector]] = {
    connector.key: connector
    for connector in (
        HotlineConnector,
        CityMgmtConnector,
        PetitionConnector,
        OpinionConnector,
        WenzhengConnector,
        WenjiConnector,
        MinshengConnector,
    )
}

CHANNEL_KEYS: tuple[str, ...] = tuple(CONNECTORS)
