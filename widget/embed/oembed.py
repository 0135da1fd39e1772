"""Read a widget address given to /oembed and answer what an oEmbed consumer needs."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from widget import catalogue
from widget.embed.choices import Choice, from_query
from widget.embed.snippets import default_width, oembed_frame, oembed_url
from widget.params import choice, heading_level
from widget.partners.current import registry
from widget.substances.library import library

CACHE_AGE = 24 * 60 * 60


def widget_choice(url: str) -> Choice | None:
    """The widget an address on this service shows, or None when it shows none.

    Its parameters are checked as the widget itself checks them, so a
    malformed one is the same 400.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.host.lower():
        return None
    adapter = current_app.url_map.bind(request.host)
    try:
        endpoint, view_args = adapter.match(parts.path or "/", method="GET")
    except (HTTPException, RequestRedirect):
        return None
    found = catalogue.current().by_endpoint.get(endpoint)
    if found is None:
        return None
    widget, address = found[0].name, found[1]
    if "requested" in view_args:
        slug = library().resolve(view_args["requested"])
        if slug is None:
            return None
        view_args = {"requested": slug}
    args = MultiDict(parse_qsl(parts.query, keep_blank_values=True))
    heading_level(args)
    if address.variants:
        choice(args, "variant", address.variants, address.default_variant)
    partner = args.get("partner", "")
    if partner and registry().get(partner) is None:
        return None
    return from_query(widget, view_args, args)


def discovery_url() -> str | None:
    """The oEmbed address of the widget this request shows (None for other pages).

    Documents link to it (widget/rendering.py), so a CMS finds the embed code.
    """
    found = catalogue.current().by_endpoint.get(request.endpoint or "")
    if found is None or request.method != "GET":
        return None
    widget = found[0].name
    service = request.url_root.rstrip("/")
    chosen = from_query(widget, request.view_args or {}, request.args)
    return oembed_url(service, chosen.url(service))


def answer(
    chosen: Choice, service: str, title: str, maxwidth: int | None, maxheight: int | None
) -> dict[str, Any]:
    """The oEmbed 1.0 `rich` answer: an iframe that fits within maxwidth × maxheight."""
    width = min(default_width(), maxwidth) if maxwidth else default_width()
    height = min(chosen.frame_height(), maxheight) if maxheight else chosen.frame_height()
    return {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": "Care Widgets",
        "provider_url": service.rstrip("/") + "/",
        "html": oembed_frame(service, chosen, title, width, height),
        "width": width,
        "height": height,
        "cache_age": CACHE_AGE,
    }
