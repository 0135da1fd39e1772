"""The body-size limit for bodies sent without a length (chunked transfer encoding).

Werkzeug checks MAX_CONTENT_LENGTH against Content-Length; a chunked body has
none, and its form parser then stops quietly at the limit, so the form was
read cut short (and answered 422 with the comment cut). Here such a body is
read up to the limit first: a longer one is refused with the same 413 as any
oversized body; a shorter one is handed on with its length, like any other.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, abort, request

_TOO_LARGE = "care_widgets.body_too_large"


class ChunkedBodyLimit:
    """WSGI middleware: buffer a length-less body of at most `limit` bytes."""

    def __init__(self, wsgi_app: Callable, limit: int) -> None:
        self.wsgi_app = wsgi_app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        # Only a chunked body comes without a length (GETs pay nothing here).
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = _read_up_to(environ["wsgi.input"], self.limit + 1)
            if len(body) > self.limit:
                environ[_TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            # From here on it is an ordinary body of known length (werkzeug
            # ignores Content-Length while Transfer-Encoding says chunked).
            environ.pop("wsgi.input_terminated", None)
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.wsgi_app(environ, start_response)


def _read_up_to(stream: Any, size: int) -> bytes:
    # A dechunking stream may hand back one chunk per read: read until the end or the size.
    parts: list[bytes] = []
    left = size
    while left > 0:
        part = stream.read(min(left, 65536))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _refuse_too_large() -> None:
    if request.environ.get(_TOO_LARGE):
        abort(413)


def init_app(app: Flask) -> None:
    """Apply MAX_CONTENT_LENGTH to chunked bodies too."""
    limit = app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, int(limit))
    app.before_request(_refuse_too_large)
