"""Where rate-limit counts live, and what happens while that place does not answer.

- HostBackend: a small SQLite file every worker of the host shares;
- LimitsBackend: a `limits` storage, memory:// (per process) or redis:// (all hosts);
- FailOpen: a store with a fallback used while it fails (Redis → per host,
  the host file → per process), saying so in the log once per outage.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import Protocol

from limits import RateLimitItem
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from widget.faultlog import describe
from widget.feedback.hostlimit import HostLimiter

log = logging.getLogger(__name__)
# A store that failed is asked again after this many seconds (until then, the fallback).
RETRY_STORE_AFTER = 5.0
# Redis is on the local network: an answer slower than this is an outage.
REDIS_TIMEOUT = 0.5
STORE_ERRORS = (RedisError, StorageError, OSError, ConnectionError, sqlite3.Error)


class Backend(Protocol):
    """Counts hits per key within a limit's window."""

    def hit(self, item: RateLimitItem, key: str) -> bool:
        """Count one hit; False (not counted) once the key is over the limit."""
        ...

    def remaining(self, item: RateLimitItem, key: str) -> int:
        """Hits the key has left in the window."""
        ...

    def reset_at(self, item: RateLimitItem, key: str) -> float:
        """When (epoch seconds) the key's oldest hit leaves the window."""
        ...

    def ping(self) -> None:
        """Raise when the store does not answer."""
        ...


class HostBackend:
    """The per-host SQLite counts."""

    def __init__(self, path: Path) -> None:
        self.limiter = HostLimiter(path)

    def hit(self, item: RateLimitItem, key: str) -> bool:
        return self.limiter.hit(key, item.amount, item.get_expiry())

    def remaining(self, item: RateLimitItem, key: str) -> int:
        return self.limiter.remaining(key, item.amount, item.get_expiry())

    def reset_at(self, item: RateLimitItem, key: str) -> float:
        return self.limiter.reset_at(key, item.get_expiry())

    def ping(self) -> None:
        self.limiter.ping()


class LimitsBackend:
    """A `limits` storage: memory:// (per process) or redis:// (all hosts)."""

    def __init__(self, url: str) -> None:
        options = {}
        if url.startswith(("redis", "rediss")):
            options = {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT}
        self.storage = storage_from_string(url, **options)
        self.limiter = MovingWindowRateLimiter(self.storage)

    def hit(self, item: RateLimitItem, key: str) -> bool:
        return self.limiter.hit(item, key)

    def remaining(self, item: RateLimitItem, key: str) -> int:
        return self.limiter.get_window_stats(item, key).remaining

    def reset_at(self, item: RateLimitItem, key: str) -> float:
        return self.limiter.get_window_stats(item, key).reset_time

    def ping(self) -> None:
        if not self.storage.check():
            raise ConnectionError("rate-limit store did not answer")


class FailOpen:
    """A shared store with a local fallback while it does not answer."""

    def __init__(self, primary: Backend, fallback: Backend, name: str, meanwhile: str) -> None:
        self.primary, self.fallback, self.name, self.meanwhile = primary, fallback, name, meanwhile
        self._down_until = 0.0
        self._warned = False

    def _call(self, method: str, *args: object):  # noqa: ANN202 (the backend's answer)
        if time.monotonic() < self._down_until:
            return getattr(self.fallback, method)(*args)
        try:
            result = getattr(self.primary, method)(*args)
        except STORE_ERRORS as error:
            self._down_until = time.monotonic() + RETRY_STORE_AFTER
            if not self._warned:
                log.warning(
                    "rate-limit store %s is not answering (%s): posts are accepted and "
                    "counted %s until it is back",
                    self.name,
                    describe(error),
                    self.meanwhile,
                )
                self._warned = True
            return getattr(self.fallback, method)(*args)
        if self._warned:
            log.warning("rate-limit store %s answers again", self.name)
            self._warned = False
        return result

    def hit(self, item: RateLimitItem, key: str) -> bool:
        return self._call("hit", item, key)

    def remaining(self, item: RateLimitItem, key: str) -> int:
        return self._call("remaining", item, key)

    def reset_at(self, item: RateLimitItem, key: str) -> float:
        return self._call("reset_at", item, key)

    def ping(self) -> None:
        self.primary.ping()


def make_backend(url: str, host_file: Path) -> Backend:
    """The backend a WIDGET_RATE_LIMIT_STORAGE_URL names (see the module's docstring)."""
    if url in ("", "host", "host://"):
        url = f"sqlite:///{host_file}"
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return FailOpen(HostBackend(path), LimitsBackend("memory://"), "host file", "per process")
    if url.startswith(("redis://", "rediss://", "redis+unix://")):
        return FailOpen(LimitsBackend(url), HostBackend(host_file), "redis", "per host")
    return LimitsBackend(url)
