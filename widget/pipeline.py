"""The way every request goes through the service, in one place (docs/pipeline.md).

WSGI layers, from the outside in (the request meets them in this order)::

    request log  →  body limit  →  ProxyFix (when PROXY_COUNT > 0)  →  answer cache  →  Flask

Inside Flask, before the view: the data sources are checked (fragment
cache), then the widget blueprints resolve `partner`. After the view, every
answer goes through AFTER_REQUEST, top to bottom.

Flask runs after-request hooks in the reverse order of their registration;
install_after_request registers the steps reversed, so the list reads in the
order the steps run, and no module registers a hook of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from widget import answer_cache, bodylimit, cors, headers, httpcache, requestlog


def _always(app: Flask) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One after-request step: its name, the hook, and whether this app runs it."""

    name: str
    hook: Callable[[Response], Response]
    enabled: Callable[[Flask], bool] = _always


AFTER_REQUEST: tuple[Step, ...] = (
    # Cross-origin grant (and Vary: Origin for a partner's answer).
    Step("cors", cors.grant_access),
    # Vary, Content-Language, privacy headers, the Content-Security-Policy, no
    # cookie. Before httpcache: a 304 has no Content-Type left to tell a
    # document (its CSP lets partners frame it) from a resource.
    Step("headers", headers.add_headers),
    # Cache-Control, the strong ETag of the final bytes, 304, compression.
    # After every step that changes the body or a header a cache keeps.
    Step("httpcache", httpcache.finish),
    # The endpoint, locale and htmx flag for the log line (order-free: it only reads).
    Step("requestlog", requestlog.note_flask_side, requestlog.enabled),
)


def install_after_request(app: Flask, steps: tuple[Step, ...] | None = None) -> None:
    """Register the after-request steps so they run in the order listed."""
    for step in reversed(AFTER_REQUEST if steps is None else steps):
        if step.enabled(app):
            app.after_request(step.hook)


class NoSessions(SessionInterface):
    """The service keeps no session: none is read from a cookie, none is ever saved.

    Flask's default reads the session cookie on every request, building a
    signing serializer each time (about 40 µs of a feedback post); here every
    request gets Flask's empty null session instead, which refuses writes.
    """

    def open_session(self, app: Flask, request: object) -> None:
        return None  # Flask then makes its null session

    def save_session(self, app: Flask, session: object, response: Response) -> None:
        return None


def wrap_wsgi(app: Flask, redact: Callable[[str], str]) -> None:
    """Wrap Flask in the WSGI layers, innermost first.

    The answer cache sits right in front of Flask: inside ProxyFix (it keys on
    the real host) and inside the request log (every answer is logged, hits too).
    """
    app.session_interface = NoSessions()
    answer_cache.init_app(app)
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # Behind a load balancer: the client address for rate limits, and the
        # scheme and host for absolute links, come from the proxy's headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    bodylimit.init_app(app)
    requestlog.init_app(app, redact)
