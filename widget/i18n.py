"""Choose the locale of each request and wire Flask-Babel to the catalogues."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, format_decimal, format_percent, gettext
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

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


# Browsers send a handful of distinct Accept-Language headers: each is parsed
# and matched once, not on every request. Long ones (odd, or hostile) are not kept.
_MEMO_LONGEST = 200


@lru_cache(maxsize=512)
def _negotiate_memo(lang_param: str | None, header: str, partner_default: str | None) -> str:
    accepted = list(parse_accept_header(header, LanguageAccept))
    return negotiate_locale(lang_param, accepted, partner_default)


def _negotiate_header(lang_param: str | None, header: str, partner_default: str | None) -> str:
    if len(header) + len(lang_param or "") <= _MEMO_LONGEST:
        return _negotiate_memo(lang_param, header, partner_default)
    accepted = list(parse_accept_header(header, LanguageAccept))
    return negotiate_locale(lang_param, accepted, partner_default)


def current_locale() -> Locale:
    """The Locale chosen for this request (the default one outside requests, e.g. in a command)."""
    if not has_request_context():
        return KNOWN_LOCALES[DEFAULT_LOCALE]
    tag = g.get("locale_tag")
    if tag is None and current_app.config.get("PSEUDO_LOCALE"):
        if (request.args.get("lang") or "").lower() == PSEUDO_TAG.lower():
            g.locale_tag = tag = PSEUDO_TAG
    if tag == PSEUDO_TAG:
        return PSEUDO_LOCALE
    if tag is None:
        tag = _negotiate_header(
            request.args.get("lang"),
            request.headers.get("Accept-Language", ""),
            g.get("partner_locale"),
        )
        g.locale_tag = tag
    return KNOWN_LOCALES[tag]


def _babel_locale() -> str:
    return current_locale().babel_id


def proper_name(msgid: str) -> Markup:
    """A name from a data file in the visitor's language; kept in English, marked English.

    Some catalogues keep an official English name ("988 Suicide & Crisis
    Lifeline" in Russian): marked lang="en", a screen reader then reads it
    with an English voice instead of the page's.
    """
    text = gettext(msgid)
    locale = current_locale()
    if text == msgid and locale.tag != "en":
        # dir only where it changes something: English inside right-to-left text.
        if locale.direction == "rtl":
            return Markup('<span lang="en" dir="ltr">%s</span>') % text
        return Markup('<span lang="en">%s</span>') % text
    return Markup("%s") % text


def init_app(app: Flask) -> None:
    """Attach Flask-Babel and expose the chosen locale to templates."""
    babel.init_app(app, locale_selector=_babel_locale)
    # The pseudo-locale (QA) swaps in generated translations per request.
    babel.__dict__["domain_instance"] = SwitchingDomain()
    # `translate` is for message ids held in data files (babel_extract finds
    # them); `sentence` translates and puts links into a sentence.
    app.jinja_env.globals.update(
        translate=gettext,
        proper_name=proper_name,
        sentence=sentence,
        format_percent=format_percent,
        format_decimal=format_decimal,
    )

    @app.context_processor
    def locale_context() -> dict[str, Locale]:
        return {"locale": current_locale()}
