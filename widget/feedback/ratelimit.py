"""Per-client limits on feedback posts: in memory by default, Redis across workers and hosts."""

from __future__ import annotations

import hashlib
import time

from flask import Flask, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class RateLimit:
    """One limit (e.g. 20/minute) on a storage; clients are keyed by a salted hash."""

    def __init__(self, limit: str, storage_url: str, salt: str) -> None:
        self.enabled = limit.strip().lower() != "off"
        self.item = parse(limit) if self.enabled else None
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_url))
        self._salt = salt.encode()

    def client_key(self, address: str) -> str:
        """A salted hash of the client address: the address itself is never kept."""
        return "cw-feedback:" + hashlib.sha256(self._salt + address.encode()).hexdigest()[:32]

    def allow(self, address: str) -> bool:
        """Count one post for the client; False once it is over the limit."""
        if not self.enabled:
            return True
        return self.limiter.hit(self.item, self.client_key(address))

    def retry_after(self, address: str) -> int:
        """Seconds until the client may post again."""
        if not self.enabled:
            return 0
        reset, _remaining = self.limiter.get_window_stats(self.item, self.client_key(address))
        return max(1, int(reset - time.time()))


def init_app(app: Flask) -> None:
    """Set up WIDGET_RATE_LIMIT on WIDGET_RATE_LIMIT_STORAGE_URL (memory:// by default)."""
    salt = hashlib.sha256(("rate-limit:" + app.config["SECRET_KEY"]).encode()).hexdigest()
    app.extensions["care_widgets.rate_limit"] = RateLimit(
        str(app.config.get("RATE_LIMIT", "20/minute")),
        str(app.config.get("RATE_LIMIT_STORAGE_URL", "memory://")),
        salt,
    )


def rate_limit() -> RateLimit:
    """The running app's limit."""
    return current_app.extensions["care_widgets.rate_limit"]


def client_address() -> str:
    """The address the request came from (behind a proxy, configure ProxyFix)."""
    return request.remote_addr or "unknown"
