"""One HTTP session per channel: timeouts, retries with backoff and jitter, `Retry-After`.

Every HTTP feed can answer 429 or 5xx, stall past the read timeout or cut the body short
(feeds/README.md). Those are retried here, once, for all channels; a channel adds only the
checks its own contract needs (business codes inside an HTTP 200) through `check`.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests

from connectors.core.errors import ConfigurationError, FeedError
from connectors.core.rate_limit import TokenBucket

log = logging.getLogger(__name__)

Headers = Mapping[str, str] | Callable[[], Mapping[str, str]]


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 30.0
    connect_timeout: float = 5.0
    read_timeout: float = 30.0


class RetryableAnswer(Exception):
    """Raised by a channel's `check` for an answer worth retrying (e.g. a business-level 'busy').

    `before_retry` runs first (a hotline token refresh); `retry_after` overrides the backoff.
    """

    def __init__(
        self, reason: str, retry_after: float | None = None, before_retry: Callable[[], None] | None = None
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.before_retry = before_retry


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header; the HTTP-date form is treated as unknown."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None


class FeedSession:
    """A requests.Session that retries what the feed contracts say is transient."""

    def __init__(
        self,
        channel: str,
        base_url_variable: str,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rate_limit: TokenBucket | None = None,
    ) -> None:
        self.channel = channel
        self.base_url_variable = base_url_variable
        self.policy = policy or RetryPolicy()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "zhihui-connector/0.1"
        # requests reads proxies, CA bundle and .netrc from the environment on every request (about
        # a millisecond each); they are read once per host here instead (`_environment`)
        self.session.trust_env = False
        self._environments: dict[str, dict[str, Any]] = {}
        self.n_requests = 0
        self.n_retries = 0
        self._sleep = sleep
        self._rate_limit = rate_limit

    def close(self) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Headers | None = None,
        check: Callable[[requests.Response], None] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send until an answer passes `check`, or give up with a FeedError after max_attempts."""
        policy = self.policy
        last_problem = "no attempt made"
        only_connect_errors = True
        for attempt in range(1, policy.max_attempts + 1):
            wait: float | None = None
            try:
                if self._rate_limit is not None:
                    self._rate_limit.acquire()
                self.n_requests += 1
                response = self.session.request(
                    method,
                    url,
                    headers=headers() if callable(headers) else headers,
                    timeout=(policy.connect_timeout, policy.read_timeout),
                    **self._environment(url),
                    **kwargs,
                )
                _ = response.content  # read the whole body now, so a cut body is retried here
            except requests.exceptions.ConnectionError as exc:
                last_problem = f"connection failed: {_short(exc)}"
                only_connect_errors = only_connect_errors and _is_connect_failure(exc)
            except (
                requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as exc:
                last_problem = f"{type(exc).__name__}: {_short(exc)}"
                only_connect_errors = False
            else:
                only_connect_errors = False
                if response.status_code == 429 or response.status_code >= 500:
                    last_problem = f"HTTP {response.status_code}"
                    wait = parse_retry_after(response.headers.get("Retry-After"))
                else:
                    if check is None:
                        return response
                    try:
                        check(response)
                        return response
                    except RetryableAnswer as answer:
                        last_problem = str(answer)
                        wait = answer.retry_after
                        if answer.before_retry is not None:
                            answer.before_retry()
            if attempt == policy.max_attempts:
                break
            delay = wait if wait is not None else self._backoff(attempt)
            self.n_retries += 1
            log.info(
                "%s: %s; retry %d/%d in %.2fs", self.channel, last_problem, attempt, policy.max_attempts - 1, delay
            )
            self._sleep(delay)
        if only_connect_errors:
            raise ConfigurationError(
                self.channel,
                self.base_url_variable,
                f"cannot connect to {url.split('?')[0]}",
                "is the URL right and the service reachable?",
            )
        raise FeedError(
            self.channel, f"gave up after {policy.max_attempts} attempts on {url.split('?')[0]}: {last_problem}"
        )

    def _environment(self, url: str) -> dict[str, Any]:
        """What requests would take from the environment for this host: proxies, CA bundle, .netrc."""
        host = urlsplit(url).netloc
        if host not in self._environments:
            self.session.trust_env = True
            try:
                found = self.session.merge_environment_settings(url, {}, None, None, None)
            finally:
                self.session.trust_env = False
            found.pop("stream", None)
            netrc = requests.utils.get_netrc_auth(url)
            self._environments[host] = {**found, "auth": netrc} if netrc else found
        return self._environments[host]

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter (AWS architecture blog's recommendation)."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1))
        return random.uniform(0, ceiling)


def response_json(response: requests.Response) -> Any:
    """The body parsed once with orjson (several times faster than `response.json()`), then cached.

    A body that is not JSON raises `RetryableAnswer`: on these feeds that is a cut or garbled answer.
    """
    cached = response.__dict__.get("_parsed_json", _UNPARSED)
    if cached is _UNPARSED:
        try:
            cached = orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise RetryableAnswer(f"HTTP {response.status_code} answer is not JSON: {response.text[:80]!r}") from exc
        response.__dict__["_parsed_json"] = cached
    return cached


_UNPARSED = object()


def _is_connect_failure(exc: Exception) -> bool:
    text = str(exc)
    return any(
        word in text
        for word in (
            "Connection refused",
            "Name or service not known",
            "Failed to resolve",
            "No route to host",
            "NewConnectionError",
            "nodename nor servname",
        )
    )


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200]
