"""Errors a connector raises: one for bad configuration, one for a feed that keeps failing."""

from __future__ import annotations


class FeedError(RuntimeError):
    """The feed answered in a way retries cannot fix (a contract violation or a permanent error)."""

    def __init__(self, channel: str, message: str) -> None:
        super().__init__(f"[{channel}] {message}")
        self.channel = channel


class ConfigurationError(FeedError):
    """The endpoint, credentials or folder configured for a channel do not work.

    The message names the channel, the environment variable and what to check, so the
    Dagster UI shows one readable line rather than a deep traceback.
    """

    def __init__(self, channel: str, variable: str, problem: str, hint: str) -> None:
        super().__init__(channel, f"{problem} (check {variable}: {hint})")
        self.variable = variable
