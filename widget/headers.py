"""Response headers every answer carries: Vary, Content-Language, and no cookies."""

from __future__ import annotations

from flask import Flask, Response, g, request

# The same URL answers differently by these request headers (DESIGN.md contract).
VARY_ON = ("HX-Request", "Accept-Language")


def is_htmx_request() -> bool:
    """True when htmx asked for the fragment alone."""
    return request.headers.get("HX-Request", "").lower() == "true"


def _add_vary(response: Response) -> None:
    for header in VARY_ON:
        response.vary.add(header)


def _finish(response: Response) -> Response:
    if request.endpoint != "static":
        _add_vary(response)
        tag = g.get("locale_tag")
        if tag is not None:
            response.headers["Content-Language"] = tag
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Visitors of health information are at risk if tracked: never a cookie.
    response.headers.remove("Set-Cookie")
    return response


def init_app(app: Flask) -> None:
    """Register the after-request hook."""
    app.after_request(_finish)
