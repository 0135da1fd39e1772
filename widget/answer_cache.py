"""The hit path: whole widget answers served from memory before Flask is reached.

Once a GET widget answer has gone through every hook (headers, CORS, ETag,
compression), its status, header list and body bytes are kept, so the next
request for the same answer costs a few dictionary lookups: no routing, no
request context, no template, no hashing, no compression. Answers are kept
per address (path and the query parameters widgets document, see
fragment_cache) and, like an HTTP cache, per normalized value of each
request header the answer's Vary names: the locale Accept-Language asks
for (memoized), htmx or not, the content coding chosen, and any other
header as sent. A matching If-None-Match gets the 304 prepared with it.

Only what fragment_cache marked storable (a cached widget view), answered
200 with a public Cache-Control and no cookie, is kept; the memory bound and
the emptying when sources change are fragment_cache's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from flask import Flask

from widget import catalogue
from widget.accept_language import accept_language_locale
from widget.fragment_cache import EXTENSION, FRESH_TOKEN, STORABLE, FragmentCache
from widget.httpcache import choose_encoding
from widget.requestlog import FLASK_SIDE

_LONGEST_HEADER = 256  # answers varying on a longer header value are not kept
_LONGEST_QUERY = 1024
_WITHOUT_BODY = {"content-length", "content-type", "content-encoding"}
# A header value too long to key on: the answer is not kept.
_UNKEPT = object()


class Answer:
    """A ready answer: what start_response gets, the body, and its 304 twin."""

    __slots__ = ("status", "headers", "body", "etag", "not_modified", "flask_side")

    def __init__(self, status: str, headers: list, body: bytes, flask_side: dict) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.etag = next((v for k, v in headers if k.lower() == "etag"), None)
        self.not_modified = [(k, v) for k, v in headers if k.lower() not in _WITHOUT_BODY]
        self.flask_side = flask_side

    def parts(self) -> tuple[list, bytes]:
        """The headers and body to send."""
        return self.headers, self.body


class TokenAnswer(Answer):
    """An answer that differs between visitors only by a signed token (the feedback form).

    Kept with a slot where the token was; each hit signs a fresh one and
    counts the length anew. It has no ETag (no-store), so never a 304.
    """

    __slots__ = ("slot", "make_token")

    def __init__(
        self, status: str, headers: list, body: bytes, flask_side: dict, slot: bytes, make_token
    ) -> None:
        super().__init__(
            status, [(k, v) for k, v in headers if k.lower() != "content-length"], body, flask_side
        )
        self.slot = slot
        self.make_token = make_token

    def parts(self) -> tuple[list, bytes]:
        body = self.body.replace(self.slot, self.make_token().encode("ascii"), 1)
        return [*self.headers, ("Content-Length", str(len(body)))], body


@lru_cache(maxsize=256)
def _coding(accept_encoding: str) -> str | None:
    return choose_encoding(accept_encoding)


def _header_value(environ: dict, name: str) -> Any:
    raw = environ.get("HTTP_" + name.upper().replace("-", "_"), "")
    if name == "accept-language":
        return accept_language_locale(raw)
    if name == "hx-request":
        return raw.lower() == "true"
    if name == "accept-encoding":
        return _coding(raw) if len(raw) <= _LONGEST_HEADER else _UNKEPT
    return raw if len(raw) <= _LONGEST_HEADER else _UNKEPT


def _address(environ: dict, known: frozenset[str]) -> tuple | None:
    """The part of the key from the request line and host; None when not worth keeping."""
    query = environ.get("QUERY_STRING", "")
    if query:
        if len(query) > _LONGEST_QUERY or "%" in query or "+" in query:
            # An encoded parameter name could spell a documented one: let Flask decode it.
            return None
        query = "&".join(p for p in query.split("&") if p.partition("=")[0] in known)
    return (
        environ.get("PATH_INFO"),
        query,
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME"),
    )


def _not_modified(answer: Answer, environ: dict) -> bool:
    sent = environ.get("HTTP_IF_NONE_MATCH")
    if not sent or answer.etag is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    return answer.etag.removeprefix("W/") in tags or "*" in tags


class AnswerCache:
    """WSGI middleware in front of Flask (inside ProxyFix and the request log)."""

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        # Per address: the request headers its answers vary on (lowercase).
        self.vary: dict[tuple, tuple[str, ...]] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        store: FragmentCache | None = self.app.extensions.get(EXTENSION)
        method = environ.get("REQUEST_METHOD")
        if store is None or method not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        store.check_sources()
        address = _address(environ, catalogue.current_of(self.app).all_parameters)
        if address is None:
            return self.wsgi_app(environ, start_response)
        names = self.vary.get(address)
        if names is not None:
            key = (address, *(_header_value(environ, name) for name in names))
            answer = store.answers.get(key)
            if answer is not None:
                store.hits += 1
                environ[FLASK_SIDE] = answer.flask_side
                if _not_modified(answer, environ):
                    start_response("304 Not Modified", answer.not_modified)
                    return []
                headers, body = answer.parts()
                start_response(answer.status, headers)
                return [] if method == "HEAD" else [body]
        if method == "HEAD":
            return self.wsgi_app(environ, start_response)
        return self._render_and_keep(store, address, environ, start_response)

    def _render_and_keep(
        self, store: FragmentCache, address: tuple, environ: dict, start_response: Callable
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def keeping_start_response(status: str, headers: list, exc_info: Any = None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, keeping_start_response)
        fresh = environ.get(FRESH_TOKEN)
        if not (environ.get(STORABLE) or fresh) or not seen.get("status", "").startswith("200"):
            return body
        headers = seen["headers"]
        lowered = {name.lower(): value for name, value in headers}
        policy = lowered.get("cache-control", "")
        if "set-cookie" in lowered:
            return body
        if not fresh and ("public" not in policy or "no-store" in policy):
            return body
        chunks = list(body)
        if hasattr(body, "close"):
            body.close()
        data = b"".join(chunks)
        names = tuple(
            sorted({n.strip().lower() for n in lowered.get("vary", "").split(",") if n.strip()})
        )
        values = tuple(_header_value(environ, name) for name in names)
        if _UNKEPT in values:
            return [data]
        flask_side = dict(environ.get(FLASK_SIDE, {}))
        if fresh:
            answer: Answer | None = _token_answer(seen["status"], headers, data, flask_side, fresh)
            if answer is None:
                return [data]
        else:
            answer = Answer(seen["status"], headers, data, flask_side)
        if len(self.vary) > 8192:  # addresses seen: a bound of its own
            self.vary.clear()
        self.vary[address] = names
        size = len(data) + 64 * len(headers) + sum(len(v) for _, v in headers) + 512
        store.answers.put((address, *values), answer, size)
        return [data]


def _token_answer(
    status: str, headers: list, data: bytes, flask_side: dict, fresh: tuple
) -> TokenAnswer | None:
    """The answer with its token taken out; None unless the token is in it exactly once."""
    slot, token, make_token = (fresh[0].encode("ascii"), fresh[1].encode("ascii"), fresh[2])
    if data.count(token) != 1 or slot in data:
        return None
    kept = data.replace(token, slot)
    return TokenAnswer(status, headers, kept, flask_side, slot, make_token)


def init_app(app: Flask) -> None:
    """Put the hit path in front of Flask. Call before ProxyFix and the request log wrap it."""
    app.wsgi_app = AnswerCache(app, app.wsgi_app)
