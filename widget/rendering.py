"""Render a widget as a bare fragment for htmx or as a whole document otherwise."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, make_response, render_template, request, url_for
from markupsafe import Markup

from widget.arrival import FRAGMENT, PAGE, arrival
from widget.fragment_cache import documented_args
from widget.i18n import current_locale
from widget.locales import KNOWN_LOCALES
from widget.params import boolean


def address_instance_id() -> str:
    """The id prefix of the widget this request renders.

    The same address renders the same prefix, so an answer can be cached and
    revalidated with a strong ETag; widgets.js gives a second copy of the same
    widget on one page a fresh prefix as it arrives, so no two share an id.
    """
    key = "\n".join(
        [
            request.path,
            "&".join(f"{k}={v}" for k, v in sorted(documented_args())),
            current_locale().tag,
        ]
    )
    return "cw-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def language_links() -> list[dict[str, Any]]:
    """This widget's address in every language, for the language switcher."""
    current = current_locale().tag
    # The widget's own parameters are carried as they came (minus lang), never
    # as url_for keywords: names such as `endpoint`, `_external` or `_anchor`
    # would be taken as url_for's own arguments. Parameters the widget does
    # not read are left behind: they would only make every link longer.
    carried = [(key, value) for key, value in documented_args() if key != "lang"]
    base = url_for(request.endpoint, _external=True, **(request.view_args or {}))
    links = []
    for tag, locale in KNOWN_LOCALES.items():
        href = base + "?" + urlencode([*carried, ("lang", tag)])
        links.append({"locale": locale, "href": href, "current": tag == current})
    return links


# The app's provider of the oEmbed address of the widget a request shows (set by init_app).
DISCOVERY = "care_widgets.oembed_discovery"


def oembed_discovery() -> str | None:
    """The oEmbed address of the widget this request shows (None for other pages)."""
    discover = current_app.extensions.get(DISCOVERY)
    return discover() if discover is not None else None


def render_widget(
    template: str,
    *,
    title: str,
    status: int = 200,
    scripts: tuple[str, ...] = (),
    page_heading: str | None = None,
    **context: Any,
) -> Response:
    """The widget fragment alone for HX-Request, else a document around it.

    In an iframe the document is the widget alone; on a direct visit it is a
    standalone page (see widget.arrival) with `<main>`, the language switcher
    and `page_heading` as its `<h1>` (for a widget without a visible heading
    of its own). `scripts` are static files the document loads (a partner
    page that embeds the fragment includes them itself, like the stylesheet).
    """
    context.setdefault("uid", address_instance_id())
    if "switcher" not in context:
        # Error widgets pass switcher=False, so a bad value cannot recurse.
        context["switcher"] = boolean(request.args, "switcher")
    if context["switcher"]:
        context["languages"] = language_links()
    fragment = render_template(template, **context)
    kind = arrival()
    if kind == FRAGMENT:
        body = fragment
    else:
        standalone = kind == PAGE
        # The page's own switcher, unless the widget shows one; only on a
        # widget's own address (an error or a post has no address to switch).
        page_languages = (
            language_links()
            if standalone
            and not context["switcher"]
            and status == 200
            and request.method == "GET"
            and request.endpoint
            else None
        )
        body = render_template(
            "page.html",
            title=title,
            fragment=Markup(fragment),
            scripts=scripts,
            oembed=oembed_discovery() if status == 200 else None,
            standalone=standalone,
            page_heading=page_heading if standalone else None,
            page_languages=page_languages,
        )
    response = make_response(body, status)
    response.mimetype = "text/html"
    return response


def init_app(app: Flask, discovery: Callable[[], str | None]) -> None:
    """Documents link to their oEmbed address by `discovery()` (widget/embed/oembed.py)."""
    app.extensions[DISCOVERY] = discovery
