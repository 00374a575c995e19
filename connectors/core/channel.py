"""The shape every channel module fills in: its settings (environment variables) and its fetch."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from connectors.core.batch import Batch, merge
from connectors.core.errors import ConfigurationError
from connectors.core.http import RetryPolicy
from connectors.core.prefetch import prefetched
from connectors.core.window import DateWindow

BATCH_ROWS = 25_000  # at most about this many rows per landed batch (and fetched ahead, not yet landed)


@dataclass(frozen=True)
class Setting:
    """One fixed configuration variable of feeds/README.md; the default points at the simulator.

    `default` may be computed from the environment (petition's folder lives under ZHIHUI_HOME).
    """

    variable: str
    default: str | Callable[[Mapping[str, str]], str]
    secret: bool = False

    def value(self, environ: Mapping[str, str]) -> str:
        if environ.get(self.variable):
            return environ[self.variable]
        return self.default(environ) if callable(self.default) else self.default


class Connector(ABC):
    """A channel: what its feed is (declaration) and how its quirks are parsed.

    `fetch` yields batches; each batch's `cursor` is what to store once that batch is landed.
    A channel module implements `fetch_pages`, one batch per page; `fetch` merges them for landing.
    Windowed feeds (`windowed = True`) are pulled by local days and can be re-pulled for any
    day; cursor feeds pull everything new since the stored cursor and ignore the window.
    """

    key: ClassVar[str]
    title: ClassVar[str]
    windowed: ClassVar[bool]
    settings: ClassVar[tuple[Setting, ...]]
    # the payload fields the feed contract promises; anything else a payload carries is schema
    # drift, recorded and warned about by orchestration (empty: not declared yet, nothing checked)
    expected_fields: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, config: Mapping[str, str], policy: RetryPolicy | None = None) -> None:
        self.config = dict(config)
        self.policy = policy or RetryPolicy()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, policy: RetryPolicy | None = None) -> Connector:
        source = os.environ if environ is None else environ
        config = {setting.variable: setting.value(source) for setting in cls.settings}
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

    def fetch(
        self, *, window: DateWindow | None, cursor: dict[str, Any] | None, batch_rows: int = BATCH_ROWS
    ) -> Iterator[Batch]:
        """Yield batches for `window` (windowed feeds) or from `cursor` (cursor feeds).

        Pages are fetched in a background thread while the caller lands; each batch is every page
        fetched since the caller last asked (a fifth of `batch_rows` at least, unless the feed has
        no more; about `batch_rows` at most), with the cursor of its last page. Landing starts
        after the first fifth rather than a whole batch, and batches grow while landing is the
        slower side (docs/connectors.md, "Speed").
        """
        pages = self.fetch_pages(window=window, cursor=cursor)
        for parts in prefetched(pages, batch_rows, size=_rows, at_least=batch_rows // 5):
            yield merge(parts)

    @abstractmethod
    def fetch_pages(self, *, window: DateWindow | None, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        """One batch per fetch step (page, file or export), each with the cursor that follows it."""


def _rows(batch: Batch) -> int:
    return batch.n_fetched
