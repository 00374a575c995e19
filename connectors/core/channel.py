"""The shape every channel module fills in: its settings (environment variables) and its fetch."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from connectors.core.batch import Batch
from connectors.core.errors import ConfigurationError
from connectors.core.http import RetryPolicy
from connectors.core.window import DateWindow


@dataclass(frozen=True)
class Setting:
    """One fixed configuration variable of feeds/README.md; the default points at the simulator."""

    variable: str
    default: str
    secret: bool = False


class Connector(ABC):
    """A channel: what its feed is (declaration) and how its quirks are parsed.

    `fetch` yields batches; each batch's `cursor` is what to store once that batch is landed.
    Windowed feeds (`windowed = True`) are pulled by local days and can be re-pulled for any
    day; cursor feeds pull everything new since the stored cursor and ignore the window.
    """

    key: ClassVar[str]
    title: ClassVar[str]
    windowed: ClassVar[bool]
    settings: ClassVar[tuple[Setting, ...]]

    def __init__(self, config: Mapping[str, str], policy: RetryPolicy | None = None) -> None:
        self.config = dict(config)
        self.policy = policy or RetryPolicy()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, policy: RetryPolicy | None = None) -> Connector:
        source = os.environ if environ is None else environ
        config = {setting.variable: source.get(setting.variable) or setting.default for setting in cls.settings}
        return cls(config, policy)

    def setting(self, variable: str) -> str:
        value = self.config.get(variable, "")
        if not value:
            raise ConfigurationError(self.key, variable, "not set", "see the configuration table in README.md")
        return value

    def base_url(self, variable: str) -> str:
        url = self.setting(variable).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ConfigurationError(
                self.key, variable, f"{url!r} is not an http(s) URL", "it should look like http://host:port"
            )
        return url

    @abstractmethod
    def fetch(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        """Yield batches for `window` (windowed feeds) or from `cursor` (cursor feeds)."""
