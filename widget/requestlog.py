"""One JSON line per request, with nothing in it that could identify a visitor.

Each line (logger ``widget.requests``, written to stderr unless the operator
configures that logger) holds::

    {"time": "2026-11-22T01:07:00.123Z", "request_id": "…", "method": "GET",
     "path": "/widgets/helpline-banner", "endpoint": "helpline.helpline_banner",
     "status": 200, "duration_ms": 3.21, "bytes": 5120, "locale": "es",
     "htmx": true}

Never logged: the client's address (nor X-Forwarded-For), the user agent, the
referrer, cookies, the query string (a feedback form's ``page`` names the page
a visitor was reading), form fields or any other header. The path is logged
with personal-looking data (emails, phone numbers…) redacted, cut to 200
characters: a mistyped or hostile address can carry anything.

``request_id`` is new for every request, unless a trusted proxy sent one
(``WIDGET_PROXY_COUNT`` > 0 and an ``X-Request-ID`` of 16 to 64 letters,
digits and dashes, as nginx's ``$request_id``), so proxy and service logs can
be matched.

``duration_ms`` is the time the application took to produce the answer (all of
our answers are built whole before they are sent). ``bytes`` is the size of
the body sent (0 for HEAD).

``WIDGET_REQUEST_LOG=false`` turns the log off. Requests the service makes to
itself before its first visitor (widget/warmup.py) carry ``UNLOGGED`` in their
environ and are left out; no client can set that key (headers arrive as
``HTTP_…`` keys).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from flask import Flask, Response, g, request

from widget.headers import is_htmx_request

LOGGER_NAME = "widget.requests"
# What the Flask side of a request hands to the WSGI side, in the WSGI environ.
FLASK_SIDE = "care_widgets.requestlog"
_ID_KEY = "care_widgets.request_id"
# In the environ of a request the service makes to itself (widget/warmup.py): not logged.
UNLOGGED = "care_widgets.unlogged"
_TRUSTED_ID = re.compile(r"[A-Za-z0-9-]{16,64}")
_MAX_PATH = 200
_OFF = {"false", "off", "no", "0", ""}


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (as logging's last resort does)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # noqa: ANN201 (a text stream)
        return sys.stderr


def get_logger() -> logging.Logger:
    """The request logger; given a stderr handler unless the operator configured one."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        # The lines are for log collectors; the root logger would print them twice.
        logger.propagate = False
    return logger


def enabled(app: Flask) -> bool:
    """False when WIDGET_REQUEST_LOG is false/off/no/0."""
    value = app.config.get("REQUEST_LOG", True)
    if isinstance(value, str):
        return value.strip().lower() not in _OFF
    return bool(value)


def clean_path(raw: str, redact: Callable[[str], str]) -> str:
    """The request path alone: no query string, personal-looking data redacted, cut short."""
    # WSGI carries the decoded path as latin-1 code points of its UTF-8 bytes.
    path = raw.encode("latin-1", "replace").decode("utf-8", "replace")
    path = redact(path[: _MAX_PATH * 2])
    return path if len(path) <= _MAX_PATH else path[: _MAX_PATH - 1] + "…"


_quote = json.JSONEncoder(ensure_ascii=False).encode


@lru_cache(maxsize=64)
def _quoted(value: str | None) -> str:
    return _quote(value)


def _request_id(environ: dict[str, Any], trust_proxy: bool) -> str:
    sent = environ.get("HTTP_X_REQUEST_ID", "")
    if trust_proxy and _TRUSTED_ID.fullmatch(sent):
        return sent
    return os.urandom(16).hex()


def request_id() -> str:
    """This request's id, as its log line will carry it (for error messages in the log)."""
    environ = request.environ
    if _ID_KEY not in environ:
        # The log is off: still one id per request, so related errors can be matched.
        environ[_ID_KEY] = os.urandom(16).hex()
    return environ[_ID_KEY]


class RequestLogMiddleware:
    """Times each request at the WSGI edge and writes its line when the answer is ready."""

    def __init__(
        self,
        wsgi_app: Callable,
        logger: logging.Logger,
        trust_proxy: bool,
        redact: Callable[[str], str],
    ) -> None:
        self.wsgi_app = wsgi_app
        self.logger = logger
        self.trust_proxy = trust_proxy
        # A service sees a few hundred distinct paths: each is redacted once, not per request.
        self._quoted_path = lru_cache(maxsize=2048)(lambda raw: _quote(clean_path(raw, redact)))
        self._second = (0, "")
        self._default_handlers = [h for h in logger.handlers if type(h) is _StderrHandler][:1]

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get(UNLOGGED):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        answer: dict[str, Any] = {}
        # Chosen first, so an error logged during the request names the same id.
        environ[_ID_KEY] = _request_id(environ, self.trust_proxy)

        def recording_start_response(status: str, headers: list, exc_info: Any = None):
            answer["status"] = int(status.split(" ", 1)[0])
            answer["length"] = next(
                (value for name, value in headers if name.lower() == "content-length"), None
            )
            return start_response(status, headers, exc_info)

        try:
            body = self.wsgi_app(environ, recording_start_response)
        except BaseException:
            answer.setdefault("status", 500)
            self._write(environ, answer, started)
            raise
        self._write(environ, answer, started)
        return body

    def _timestamp(self) -> str:
        now = time.time()
        second = int(now)
        remembered = self._second
        if remembered[0] != second:
            # Formatted once a second; one tuple, so threads never mix two seconds.
            remembered = self._second = (
                second,
                time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)),
            )
        return f"{remembered[1]}.{int((now - second) * 1000):03d}Z"

    def _write(self, environ: dict[str, Any], answer: dict[str, Any], started: float) -> None:
        # A format call, not a dict and json.dumps: this runs on every request.
        duration = max((time.perf_counter() - started) * 1000, 0.001)
        flask_side = environ.get(FLASK_SIDE) or {}
        method = environ.get("REQUEST_METHOD", "")
        length = answer.get("length")
        size = 0 if method == "HEAD" or length is None else int(length)
        raw_path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        line = (
            f'{{"time":"{self._timestamp()}",'
            f'"request_id":"{environ[_ID_KEY]}",'
            f'"method":{_quoted(method) if len(method) < 32 else _quote(method)},'
            f'"path":{self._quoted_path(raw_path)},'
            f'"endpoint":{_quoted(flask_side.get("endpoint"))},'
            f'"status":{int(answer.get("status", 500))},'
            f'"duration_ms":{duration:.3f},'
            f'"bytes":{size},'
            f'"locale":{_quoted(flask_side.get("locale"))},'
            f'"htmx":{"true" if flask_side.get("htmx") else "false"}}}'
        )
        logger = self.logger
        ours = self._default_handlers
        if ours and logger.handlers == ours and logger.isEnabledFor(logging.INFO):
            # Our own stderr handler alone: the same line without logging's record.
            sys.stderr.write(line + "\n")
        else:
            logger.info(line)


def note_flask_side(response: Response) -> Response:
    """After-request step (widget/pipeline.py): what only Flask knows, for the log line."""
    # Only what Flask knows: the matched endpoint and the locale rendered.
    request.environ[FLASK_SIDE] = {
        "endpoint": request.endpoint,
        "locale": g.get("locale_tag"),
        "htmx": is_htmx_request(),
    }
    return response


def init_app(app: Flask, redact: Callable[[str], str]) -> None:
    """Wrap the app so every request writes one line, unless WIDGET_REQUEST_LOG is false.

    `redact` removes personal-looking data from a path (the service's redaction,
    widget/feedback/redact.py, passed in by widget/pipeline.py).
    """
    if not enabled(app):
        return
    trust_proxy = int(app.config.get("PROXY_COUNT", 0) or 0) > 0
    app.wsgi_app = RequestLogMiddleware(app.wsgi_app, get_logger(), trust_proxy, redact)
