"""Per-client limits on feedback posts, shared by every worker of a host, or by all hosts.

Where the counts live (WIDGET_RATE_LIMIT_STORAGE_URL):

- ``host`` (default): a small SQLite file in the instance folder, shared by
  every worker process on the host (widget/feedback/hostlimit.py);
  ``sqlite:///path`` names the file;
- ``redis://…``: one count across every host. When Redis does not answer the
  limit fails open: posts are still accepted, counted per host meanwhile, and
  the log says so once per outage (a visitor in crisis is never refused
  because of our counter; the per-host limit still bounds a flood);
- ``memory://``: per process (tests, a single worker).

Clients are keyed by a salted hash of their address; IPv6 clients by their
/64 network, which is what one subscriber usually holds.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import sqlite3
import time
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
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

    def hit(self, item: RateLimitItem, key: str) -> bool: ...
    def remaining(self, item: RateLimitItem, key: str) -> int: ...
    def reset_at(self, item: RateLimitItem, key: str) -> float: ...
    def ping(self) -> None: ...


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


class RateLimit:
    """One limit (e.g. 20/minute) on a backend; clients are keyed by a salted hash."""

    def __init__(self, limit: str, backend: Backend, salt: str, scope: str = "feedback") -> None:
        self.enabled = limit.strip().lower() != "off"
        self.item = parse(limit) if self.enabled else None
        self.backend = backend
        self._salt = salt.encode()
        self._scope = scope

    def client_key(self, address: str) -> str:
        """A salted hash of the client address: the address itself is never kept."""
        digest = hashlib.sha256(self._salt + address.encode()).hexdigest()[:32]
        return f"cw-{self._scope}:{digest}"

    def allow(self, address: str) -> bool:
        """Count one post for the client; False once it is over the limit."""
        if not self.enabled:
            return True
        return self.backend.hit(self.item, self.client_key(address))

    def exhausted(self, address: str) -> bool:
        """True when the client has no hit left in the window (nothing is counted)."""
        if not self.enabled:
            return False
        return self.backend.remaining(self.item, self.client_key(address)) <= 0

    def retry_after(self, address: str) -> int:
        """Seconds until the client may post again."""
        if not self.enabled:
            return 0
        reset = self.backend.reset_at(self.item, self.client_key(address))
        return max(1, int(reset - time.time()))

    def store_status(self) -> str:
        """ "ok", "off", or "unreachable" (for /healthz)."""
        if not self.enabled:
            return "off"
        try:
            self.backend.ping()
        except Exception:  # noqa: BLE001 (any failure is an answer here)
            return "unreachable"
        return "ok"


def host_file(app: Flask) -> Path:
    """The per-host counts file: WIDGET_RATE_LIMIT_HOST_FILE or the instance folder's."""
    configured = app.config.get("RATE_LIMIT_HOST_FILE")
    return Path(configured) if configured else Path(app.instance_path) / "rate-limits.sqlite3"


def init_app(app: Flask) -> None:
    """Set up WIDGET_RATE_LIMIT on WIDGET_RATE_LIMIT_STORAGE_URL (per host by default)."""
    salt = hashlib.sha256(("rate-limit:" + app.config["SECRET_KEY"]).encode()).hexdigest()
    url = str(app.config.get("RATE_LIMIT_STORAGE_URL") or "host")
    app.extensions["care_widgets.rate_limit"] = RateLimit(
        str(app.config.get("RATE_LIMIT", "20/minute")), make_backend(url, host_file(app)), salt
    )


def rate_limit() -> RateLimit:
    """The running app's limit."""
    return current_app.extensions["care_widgets.rate_limit"]


def client_address() -> str:
    """The client the limit counts: its address, or its /64 network for IPv6.

    Behind a proxy, configure WIDGET_PROXY_COUNT so this is the visitor's address.
    """
    raw = request.remote_addr or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        # One subscriber usually holds a whole /64: every address in it is one client.
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return str(address)
