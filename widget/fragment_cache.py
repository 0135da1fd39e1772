"""Rendered widgets kept in memory per address, language and host; dropped when sources change.

A widget's answer depends only on its address (path and the query parameters
its component file documents, the partner among them), the locale chosen,
how it arrived (htmx, an iframe or a direct visit: widget.arrival), and the
host in its absolute links. Those make the key: a parameter no widget reads
(`?utm_source=…`, junk) neither makes another entry nor reaches the language
switcher's links. Memory is bounded in bytes (WIDGET_FRAGMENT_CACHE_MB):
whatever the addresses asked for, the least recently stored answers go first.

The files of the registered data sources (widget/sources.py: the
catalogues, the helpline facts, the content and the partner registry) are
checked at most once a second; when any changed, the cache is emptied (the
ready answers of widget/answer_cache.py too) and every source is read again
(and checked: a broken edit keeps the last good data and is logged).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, request

from widget import catalogue, sources
from widget.arrival import arrival
from widget.i18n import current_locale

EXTENSION = "care_widgets.fragment_cache"
CHECK_EVERY = 1.0  # seconds between looks at the source files
MIB = 1024 * 1024
# Of the memory budget, this share holds rendered bodies; the rest holds the
# ready answers (headers, compressed bodies) of widget/answer_cache.py.
BODY_SHARE = 0.25


class BoundedStore:
    """Values by key, at most `limit` bytes of them (keys counted too), oldest out first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The value, or None. Not reordered: first stored, first dropped."""
        entry = self.entries.get(key)
        return None if entry is None else entry[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        """Keep `value` (about `size` bytes) unless it alone exceeds the limit."""
        if size > self.limit:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.used -= old[1]
            self.entries[key] = (value, size)
            self.used += size
            while self.used > self.limit:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.used -= dropped

    def clear(self) -> None:
        """Forget everything."""
        with self.lock:
            self.entries.clear()
            self.used = 0


def key_size(key: tuple) -> int:
    """Roughly what a key of strings and small values holds in memory."""
    return 64 * len(key) + sum(len(part) for part in key if isinstance(part, str))


class FragmentCache:
    """Rendered bodies and their digests, the ready answers, and the version of their sources."""

    def __init__(self, app: Flask, limit: int) -> None:
        self.app = app
        self.bodies = BoundedStore(int(limit * BODY_SHARE))
        self.answers = BoundedStore(limit - self.bodies.limit)
        # The sources are registered before the cache is made (widget.pipeline).
        self.version = sources.version(app)
        self.checked = time.monotonic()
        self.hits = 0
        self.misses = 0

    def check_sources(self) -> None:
        """Empty the cache and reload what changed, at most once per CHECK_EVERY."""
        now = time.monotonic()
        if now - self.checked < CHECK_EVERY:
            return
        self.checked = now
        version = sources.version(self.app)
        if version == self.version:
            return
        self.version = version
        self.bodies.clear()
        self.answers.clear()
        sources.reload_all(self.app)

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        """The rendered body and its digest, counting hits and misses."""
        body = self.bodies.get(key)
        if body is None:
            self.misses += 1
        else:
            self.hits += 1
        return body

    def put(self, key: tuple, body: bytes) -> str:
        """Keep `body`; return its digest (the ETag's base, see httpcache)."""
        digest = body_digest(body)
        self.bodies.put(key, (body, digest), len(body) + key_size(key))
        return digest


def body_digest(body: bytes) -> str:
    """What a strong ETag is made of: a hash of the bytes (the same on every host)."""
    return hashlib.sha256(body).hexdigest()[:32]


def cache() -> FragmentCache | None:
    """The app's cache, or None when it is off."""
    return current_app.extensions.get(EXTENSION)


def documented_args() -> list[tuple[str, str]]:
    """This request's query parameters that its widget reads, in the order sent."""
    known = catalogue.current()
    names = known.parameters.get(request.endpoint or "", known.all_parameters)
    return [(key, value) for key, value in request.args.items(multi=True) if key in names]


def _key() -> tuple:
    # The same documented parameters, host and locale always render the same
    # answer; another spelling of one of them only makes a second entry.
    environ = request.environ
    return (
        request.endpoint,
        environ.get("PATH_INFO"),
        tuple(documented_args()),
        current_locale().tag,
        arrival(),  # fragment, frame document or standalone page
        # Absolute links hold the scheme and host.
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME"),
    )


# Set in the WSGI environment of an answer that may be kept whole (answer_cache).
STORABLE = "care_widgets.storable"
# Set by a view whose answer is the same for everyone but one signed token
# (the feedback form's first state): (slot, token, make_token). The answer
# cache keeps the answer with `slot` in place of `token`, never the token,
# and puts a fresh make_token() in on every hit.
FRESH_TOKEN = "care_widgets.fresh_token"


def cached(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a GET widget view from memory when the same answer was rendered before."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        store = cache()
        if store is None:
            return view(*args, **kwargs)
        key = _key()
        request.environ[STORABLE] = True
        entry = store.get(key)
        if entry is not None:
            response = Response(entry[0], 200, mimetype="text/html")
            # Hashed once, when stored: httpcache makes the ETag from it.
            response.cw_digest = entry[1]  # type: ignore[attr-defined]
            return response
        response = view(*args, **kwargs)
        if isinstance(response, Response) and response.status_code == 200:
            response.cw_digest = store.put(key, response.get_data())  # type: ignore[attr-defined]
        return response

    return wrapper


def _check_sources() -> None:
    store = cache()
    if store is not None:
        store.check_sources()


def init_app(app: Flask) -> None:
    """Keep rendered widgets in memory unless FRAGMENT_CACHE_MB is 0.

    Call once every data source is registered (widget/sources.py). The check
    runs before any blueprint's own hooks, so sources are reloaded before a
    request looks up its partner.
    """
    megabytes = float(app.config.get("FRAGMENT_CACHE_MB", 0) or 0)
    if megabytes > 0:
        app.extensions[EXTENSION] = FragmentCache(app, int(megabytes * MIB))
        app.before_request(_check_sources)
