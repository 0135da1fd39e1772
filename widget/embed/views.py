"""Routes of the embedding kit: the embed builder page and oEmbed."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext

from widget.embed import oembed
from widget.embed.choices import WIDGETS, Choice
from widget.embed.snippets import build
from widget.feedback.submission import clean_page
from widget.helpline.banner import VARIANTS
from widget.i18n import current_locale
from widget.locales import KNOWN_LOCALES
from widget.params import InvalidParameter, choice, heading_level
from widget.partners.current import current_partner, registry
from widget.substances.library import library

bp = Blueprint("embed", __name__)

# The builder frames its own preview; nothing else may frame the builder.
BUILDER_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "frame-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def _positive(name: str) -> int | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    # The length first: Python refuses to convert a string of over 4,300 digits.
    if raw.isascii() and raw.isdigit() and len(raw) <= 6 and 0 < int(raw) <= 100_000:
        return int(raw)
    raise InvalidParameter(
        name, lazy_gettext("“%(name)s” must be a whole number of pixels.", name=name)
    )


@bp.get("/embed")
def builder() -> ResponseReturnValue:
    """Pick a widget and its options, see it live, copy the code."""
    args = request.args
    slugs = tuple(library().substances)
    partner = current_partner()
    page_error = ""
    page = args.get("page", "").strip()
    if clean_page(page) is None:
        page_error = lazy_gettext("Enter a web address that starts with https:// or http://.")
        page = ""
    chosen = Choice(
        widget=choice(args, "widget", WIDGETS, "helpline-banner"),
        variant=choice(args, "variant", VARIANTS, "full"),
        substance=choice(args, "substance", ("", *slugs), ""),
        lang=choice(args, "language", ("", *KNOWN_LOCALES), ""),
        heading=heading_level(args),
        partner=partner.id if partner else "",
        page=clean_page(page) or "",
    )
    service = request.url_root.rstrip("/")
    title = chosen.title(chosen.lang or current_locale().tag)
    body = render_template(
        "embed/builder.html",
        chosen=chosen,
        snippets=build(service, chosen, title),
        preview_url=chosen.url(service),
        frame_title=title,
        substances=[
            (slug, library().summary(slug, current_locale().tag)[0].name) for slug in slugs
        ],
        locales=KNOWN_LOCALES,
        variants=VARIANTS,
        partners=sorted(registry().partners.values(), key=lambda p: p.name.casefold()),
        page_value=args.get("page", ""),
        page_error=page_error,
    )
    response = make_response(body, 400 if page_error else 200)
    response.headers["Content-Security-Policy"] = BUILDER_CSP
    return response


@bp.get("/oembed")
def oembed_answer() -> ResponseReturnValue:
    """oEmbed 1.0: a `rich` answer with an iframe for any widget address on this service."""
    if (request.args.get("format") or "json") != "json":
        abort(501)
    url = request.args.get("url", "")
    if not url:
        raise InvalidParameter("url", lazy_gettext("Give the address of a widget in “url”."))
    maxwidth, maxheight = _positive("maxwidth"), _positive("maxheight")
    chosen = oembed.widget_choice(url)
    if chosen is None:
        abort(404)
    title = chosen.title(chosen.lang or current_locale().tag)
    service = request.url_root.rstrip("/")
    response = jsonify(oembed.answer(chosen, service, title, maxwidth, maxheight))
    response.headers["Cache-Control"] = f"public, max-age={oembed.CACHE_AGE}"
    return response
