"""Routes of the embedding kit: the embed builder page and oEmbed."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext

from widget import catalogue
from widget.embed import oembed
from widget.embed.choices import Choice
from widget.embed.snippets import build, htmx_pins
from widget.feedback.submission import clean_page
from widget.headers import content_security_policy
from widget.i18n import current_locale
from widget.locales import KNOWN_LOCALES
from widget.params import InvalidParameter, boolean, choice, heading_level
from widget.partners.current import current_partner, registry
from widget.substances.library import library

bp = Blueprint("embed", __name__)

# The builder frames its own preview; nothing else may frame the builder.
BUILDER_CSP = content_security_policy("'none'", frame_src="'self'", without=("connect-src",))


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


# How the builder's preview can be shown (never part of the code to copy).
PREVIEWS = ("phone", "dark", "arabic")


def _chosen_widgets() -> list[str]:
    """The widgets ticked (in the builder's order); the banner when none is."""
    names = catalogue.current().names
    picked = request.args.getlist("widget")
    for name in picked:
        choice({"widget": name}, "widget", names, "")
    return [name for name in names if name in picked] or [names[0]]


@bp.get("/embed")
def builder() -> ResponseReturnValue:
    """Pick widgets and their options, see them live, copy one page's code."""
    args = request.args
    slugs = tuple(library().substances)
    partner = current_partner()
    page_error = ""
    # Cleaned once: the feedback form's address carries the clean value.
    page = clean_page(args.get("page", "").strip())
    if page is None:
        page_error = lazy_gettext("Enter a web address that starts with https:// or http://.")
    # The builder's variant field is the banner's (its options are labelled in the template).
    banner = catalogue.current().widget("helpline-banner")
    base = Choice(
        variant=choice(args, "variant", banner.variants, banner.address().default_variant),
        substance=choice(args, "substance", ("", *slugs), ""),
        lang=choice(args, "language", ("", *KNOWN_LOCALES), ""),
        heading=heading_level(args),
        partner=partner.id if partner else "",
        page=page or "",
        collapsible=boolean(args, "collapsible"),
    )
    previews = [name for name in args.getlist("preview") if name in PREVIEWS]
    widgets = _chosen_widgets()
    picked = [
        (chosen, chosen.title(chosen.lang or current_locale().tag))
        for chosen in (base.with_(widget=name) for name in widgets)
    ]
    service = request.url_root.rstrip("/")
    preview_lang = "ar" if "arabic" in previews else base.lang
    body = render_template(
        "embed/builder.html",
        chosen=base,
        widgets=widgets,
        picked=picked,
        snippets=build(service, picked),
        previews=previews,
        preview_frames=[
            (shown.url(service), shown.title(preview_lang or current_locale().tag), shown)
            for shown in (c.with_(lang=preview_lang) for c, _ in picked)
        ],
        preview_lang=preview_lang,
        follows_visitor=not base.lang,
        htmx=htmx_pins(),
        substances=[
            (slug, library().summary(slug, current_locale().tag)[0].name) for slug in slugs
        ],
        locales=KNOWN_LOCALES,
        variants=banner.variants,
        widget_labels=[(w.name, w.translated_label()) for w in catalogue.current().widgets],
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
