"""Choose the locale of each request and wire Flask-Babel to the catalogues."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, format_decimal, format_percent, get_domain, gettext
from markupsafe import Markup

from widget import paths, sources
from widget.accept_language import accept_language_locale
from widget.linking import sentence
from widget.locales import DEFAULT_LOCALE, KNOWN_LOCALES, Locale, match_locale
from widget.pseudo import PSEUDO_LOCALE, PSEUDO_TAG, SwitchingDomain

babel = Babel()


def negotiate_locale(
    lang_param: str | None,
    accept_language: str | None,
    partner_default: str | None = None,
) -> str:
    """Pick a locale tag: the lang parameter, the partner default, Accept-Language, then en."""
    for candidate in (lang_param, partner_default):
        matched = match_locale(candidate)
        if matched:
            return matched
    # Memoized, by the rules the edge cache repeats (widget/accept_language.py).
    return accept_language_locale(accept_language) or DEFAULT_LOCALE


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
        tag = negotiate_locale(
            request.args.get("lang"),
            request.environ.get("HTTP_ACCEPT_LANGUAGE"),
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


def _catalogue_files(app: Flask) -> list[Path]:
    return sorted(paths.translations_dir().rglob("*.mo"))


def _reload_catalogues(app: Flask) -> None:
    # Flask-Babel keeps the catalogues it has read; read them again.
    get_domain().cache.clear()


def init_app(app: Flask) -> None:
    """Attach Flask-Babel, expose the chosen locale to templates, watch the catalogues."""
    babel.init_app(app, locale_selector=_babel_locale)
    sources.register(app, sources.Source("catalogues", _catalogue_files, _reload_catalogues))
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
