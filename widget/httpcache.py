"""HTTP caching of GET answers: strong ETags, 304 Not Modified, Cache-Control, gzip and brotli.

Every cacheable answer gets a strong ETag computed from its bytes (and the
content coding, since a gzip body is another representation), so a CDN or
browser revalidates cheaply; a matching If-None-Match is a 304 without body.
Text answers are compressed with brotli or gzip when the client accepts
them; compressed bodies are kept in a small memory cache by ETag.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict

import brotli
from flask import Response, current_app, request

from widget import catalogue

# What a cache may do with each kind of answer (endpoint → Cache-Control). A
# widget's address is public or private as its component file says
# (embed.cache, widget/catalogue.py).
STATIC_ENDPOINTS = ("static", "partners.theme")
PRIVATE = ("health.healthz", "feedback_report.report", "feedback.submit")
COMPRESSIBLE = ("text/html", "text/css", "text/javascript", "application/javascript",
                "application/json", "image/svg+xml")  # fmt: skip
MIN_COMPRESS = 512  # bytes; below this the headers outweigh the saving
_compressed: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_lock = threading.Lock()
_KEEP = 1024


def cache_control(endpoint: str | None) -> str | None:
    """The Cache-Control of a successful GET answer, or None to leave it as the view set it."""
    config = current_app.config
    fresh, stale = int(config["CACHE_MAX_AGE"]), int(config["CACHE_STALE_WHILE_REVALIDATE"])
    widget_policy = catalogue.current().cache_policy.get(endpoint or "")
    if widget_policy == "public":
        return f"public, max-age={fresh}, stale-while-revalidate={stale}"
    if endpoint in STATIC_ENDPOINTS:
        static = int(config["STATIC_MAX_AGE"])
        return f"public, max-age={static}, stale-while-revalidate={stale}"
    if endpoint in PRIVATE or widget_policy == "private":
        return "no-store"
    return None


def choose_encoding(accept: str) -> str | None:
    """br or gzip, by the client's Accept-Encoding q-values (br first on a tie)."""
    offered: dict[str, float] = {}
    for part in accept.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip().lower()] = quality
    wildcard = offered.get("*", 0.0)
    best, best_quality = None, 0.0
    for coding in ("br", "gzip"):
        quality = offered.get(coding, wildcard)
        if quality > best_quality:
            best, best_quality = coding, quality
    return best


def _compress(tag: str, coding: str, body: bytes) -> bytes:
    key = (tag, coding)
    with _lock:
        if key in _compressed:
            _compressed.move_to_end(key)
            return _compressed[key]
    if coding == "br":
        data = brotli.compress(body, quality=5, mode=brotli.MODE_TEXT)
    else:
        data = gzip.compress(body, compresslevel=6, mtime=0)
    with _lock:
        _compressed[key] = data
        while len(_compressed) > _KEEP:
            _compressed.popitem(last=False)
    return data


def _policy(response: Response) -> str | None:
    """The Cache-Control this answer gets, "no-store", or None to leave it as it is."""
    if response.status_code >= 400:
        # An error may be fixed at any moment (content added, registry edited).
        return "no-store"
    policy = cache_control(request.endpoint)
    if policy == "no-store" or "no-store" in response.headers.get("Cache-Control", ""):
        return "no-store"
    return policy


def _is_validated(response: Response, policy: str | None) -> bool:
    """True for the answers that get an ETag: successful, and of a cached kind (or oEmbed)."""
    return response.status_code == 200 and (
        policy is not None or request.endpoint == "embed.oembed_answer"
    )


def _read_whole(response: Response) -> bytes:
    """The body as bytes; a streamed static file is read (and closed) to hash and compress it."""
    if response.direct_passthrough:
        # Static files are small.
        response.direct_passthrough = False
        source = response.response
        body = response.get_data()
        if hasattr(source, "close"):
            source.close()
        response.set_data(body)
    return response.get_data()


def _content_coding(response: Response, body: bytes) -> str | None:
    """br, gzip or None for this body; a compressible type varies by Accept-Encoding."""
    if response.mimetype not in COMPRESSIBLE:
        return None
    vary = response.headers.get("Vary", "")
    if "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    if len(body) < MIN_COMPRESS:
        return None
    return choose_encoding(request.headers.get("Accept-Encoding", ""))


def _not_modified(response: Response) -> Response:
    response.status_code = 304
    response.set_data(b"")
    for header in ("Content-Length", "Content-Type", "Content-Encoding"):
        response.headers.pop(header, None)
    return response


def finish(response: Response) -> Response:
    """After-request step (widget/pipeline.py): Cache-Control, strong ETag, 304, compression.

    It runs after every step that changes headers or the body: the ETag is
    made of the final bytes, and a 304 drops the body and its Content-Type.
    """
    if request.method not in ("GET", "HEAD"):
        return response
    policy = _policy(response)
    if policy == "no-store":
        response.headers["Cache-Control"] = "no-store"
        return response
    if not _is_validated(response, policy):
        return response
    if policy:
        response.headers["Cache-Control"] = policy
    body = _read_whole(response)
    coding = _content_coding(response, body)
    # The fragment cache hashed a widget's body when it stored it.
    digest = getattr(response, "cw_digest", None) or hashlib.sha256(body).hexdigest()[:32]
    tag = digest + (f"-{coding}" if coding else "")
    response.set_etag(tag)
    response.headers.pop("Last-Modified", None)
    if request.if_none_match.contains_weak(tag):
        return _not_modified(response)
    if coding:
        response.set_data(_compress(tag, coding, body))
        response.headers["Content-Encoding"] = coding
    return response
