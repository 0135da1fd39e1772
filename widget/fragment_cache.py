"""Rendered widgets kept in memory per address, language and host; dropped when sources change.

A widget's answer depends only on its address (path and parameters, the
partner among them), the locale chosen, how it arrived (htmx, an iframe or a
direct visit: widget.arrival), and the host in
its absolute links. Those make the key. The content files, the catalogues,
the helpline facts and the partner registry are checked at most once a
second; when any changed, the cache is emptied, the catalogues are read
again and the content library is reloaded (and checked: a broken edit keeps
the last good content and is logged).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask_babel import get_domain

from widget import paths
from widget.arrival import arrival
from widget.helpline.facts import FACTS_FILE
from widget.i18n import current_locale
from widget.partners.current import reload_registry
from widget.substances.library import DEFAULT_CONTENT_DIR, reload_library

EXTENSION = "care_widgets.fragment_cache"
CHECK_EVERY = 1.0  # seconds between looks at the source files

log = logging.getLogger(__name__)


class FragmentCache:
    """A bounded LRU of rendered bodies and their digests, with the version of their sources."""

    def __init__(self, app: Flask, size: int) -> None:
        self.app = app
        self.size = size
        self.entries: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self.lock = threading.Lock()
        self.version = self._sources_version()
        self.checked = time.monotonic()
        self.hits = 0
        self.misses = 0

    def _source_files(self) -> list[Path]:
        content = Path(self.app.config.get("SUBSTANCE_CONTENT_DIR") or DEFAULT_CONTENT_DIR)
        files = [FACTS_FILE, *paths.translations_dir().rglob("*.mo")]
        if content.is_dir():
            files += list(content.rglob("*"))
        partners = self.app.config.get("PARTNERS_FILE")
        if partners:
            files.append(Path(partners))
        return files

    def _sources_version(self) -> tuple[float, int]:
        stamps = [f.stat().st_mtime for f in self._source_files() if f.exists()]
        return (max(stamps, default=0.0), len(stamps))

    def check_sources(self) -> None:
        """Empty the cache and reload what changed, at most once per CHECK_EVERY."""
        now = time.monotonic()
        if now - self.checked < CHECK_EVERY:
            return
        self.checked = now
        version = self._sources_version()
        if version == self.version:
            return
        self.version = version
        with self.lock:
            self.entries.clear()
        # Flask-Babel keeps catalogues it has read; read them again.
        get_domain().cache.clear()
        for reload in (reload_library, reload_registry):
            try:
                reload(self.app)
            except ValueError:  # a broken edit: keep serving the last good version
                log.exception("a source file changed but cannot be used; keeping the previous one")

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return body

    def put(self, key: tuple, body: bytes) -> str:
        """Keep `body`; return its digest (the ETag's base, see httpcache)."""
        digest = body_digest(body)
        with self.lock:
            self.entries[key] = (body, digest)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return digest


def body_digest(body: bytes) -> str:
    """What a strong ETag is made of: a hash of the bytes (the same on every host)."""
    return hashlib.sha256(body).hexdigest()[:32]


def cache() -> FragmentCache | None:
    return current_app.extensions.get(EXTENSION)


def _key() -> tuple:
    # Read from the WSGI environment as sent (after ProxyFix): the same raw
    # address, query and host always render the same answer; another spelling
    # of one of them only makes a second entry.
    environ = request.environ
    return (
        request.endpoint,
        environ.get("PATH_INFO"),
        environ.get("QUERY_STRING"),
        current_locale().tag,
        arrival(),  # fragment, frame document or standalone page
        # Absolute links hold the scheme and host.
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME"),
    )


def cached(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a GET widget view from memory when the same answer was rendered before."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        store = cache()
        if store is None:
            return view(*args, **kwargs)
        key = _key()
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
    """Keep rendered widgets in memory unless FRAGMENT_CACHE_SIZE is 0.

    Call before the partners' init_app: sources are checked (and reloaded)
    before a request looks up its partner.
    """
    size = int(app.config.get("FRAGMENT_CACHE_SIZE", 0))
    if size > 0:
        app.extensions[EXTENSION] = FragmentCache(app, size)
        app.before_request(_check_sources)
