"""The channels the platform integrates, in the order of feeds/README.md.

The order matters beyond display: it breaks ties when complaints merge (MART.md,
complaint_id_history). Adding a channel is one line here.
"""

from __future__ import annotations

from connectors.channels.hotline import HotlineConnector
from connectors.core.channel import Connector

CONNECTORS: dict[str, type[Connector]] = {connector.key: connector for connector in (HotlineConnector,)}

CHANNEL_KEYS: tuple[str, ...] = tuple(CONNECTORS)
