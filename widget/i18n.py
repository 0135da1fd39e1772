"""Choose the locale of each request and wire Flask-Babel to the catalogues."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_babel import Babel, format_decimal, format_percent, gettext

from widget.linking import sentence
from widget.locales import DEFAULT_LOCALE, KNOWN_LOCALES, Locale, match_locale
from widget.pseudo import PSEUDO_LOCALE, PSEUDO_TAG, SwitchingDomain

babel = Babel()


def negotiate_locale(
    lang_param: str | None,
    accept_language: list[tuple[str, float]],
    partner_default: str | None = None,
) -> str:
    """Pick a locale tag: the lang parameter, the partner default, Accept-Language, then en."""
    for candidate in (lang_param, partner_default):
        matched = match_locale(candidate)
        if matched:
            return matched
    # Highest quality first; a q=0 entry means "not this one".
    for tag, quality in sorted(accept_language, key=lambda item: -item[1]):
        if quality <= 0 or tag == "*":
            continue
        matched = match_locale(tag)
        if matched:
            return matched
    return DEFAULT_LOCALE


def current_locale() -> Locale:
    """The Locale chosen for this request."""
    tag = g.get("locale_tag")
    if tag is None and current_app.config.get("PSEUDO_LOCALE"):
        if (request.args.get("lang") or "").lower() == PSEUDO_TAG.lower():
            g.locale_tag = tag = PSEUDO_TAG
    if tag == PSEUDO_TAG:
        return PSEUDO_LOCALE
    if tag is None:
        tag = negotiate_locale(
            request.args.get("lang"),
            list(request.accept_languages),
            g.get("partner_locale"),
        )
        g.locale_tag = tag
    return KNOWN_LOCALES[tag]


def _babel_locale() -> str:
    return current_locale().babel_id


def init_app(app: Flask) -> None:
    """Attach Flask-Babel and expose the chosen locale to templates."""
    babel.init_app(app, locale_selector=_babel_locale)
    # The pseudo-locale (QA) swaps in generated translations per request.
    babel.__dict__["domain_instance"] = SwitchingDomain()
    # `translate` is for message ids held in data files (babel_extract finds
    # them); `sentence` translates and puts links into a sentence.
    app.jinja_env.globals.update(
        translate=gettext,
        sentence=sentence,
        format_percent=format_percent,
        format_decimal=format_decimal,
    )

    @app.context_processor
    def locale_context() -> dict[str, Locale]:
        return {"locale": current_locale()}
