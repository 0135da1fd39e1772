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
import time
from pathlib import Path

from flask import Flask, current_app, request
from limits import parse

from widget.feedback.limitstores import Backend, make_backend


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
