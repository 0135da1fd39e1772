"""Render a widget as a bare fragment for htmx or as a whole document otherwise."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Response, make_response, render_template
from markupsafe import Markup

from widget.headers import is_htmx_request


def new_instance_id() -> str:
    """A fresh id prefix, so two copies of a widget on one page share no id."""
    return "cw-" + secrets.token_hex(4)


def render_widget(
    template: str,
    *,
    title: str,
    status: int = 200,
    scripts: tuple[str, ...] = (),
    **context: Any,
) -> Response:
    """The widget fragment alone for HX-Request, else a full page around it.

    `scripts` are static files the page loads (a partner page that embeds the
    fragment includes them itself, like the stylesheet).
    """
    context.setdefault("uid", new_instance_id())
    fragment = render_template(template, **context)
    if is_htmx_request():
        body = fragment
    else:
        body = render_template("page.html", title=title, fragment=Markup(fragment), scripts=scripts)
    response = make_response(body, status)
    response.mimetype = "text/html"
    return response
