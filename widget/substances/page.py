"""Build what the summary and index widgets show, in the visitor's locale."""

from __future__ import annotations

from typing import Any

from babel import Locale as BabelLocale
from flask_babel import format_date, lazy_gettext
from flask_babel.speaklater import LazyString

from widget.helpline.banner import banner_context
from widget.locales import KNOWN_LOCALES
from widget.params import sub_heading_level
from widget.substances.article import render_article
from widget.substances.content import SECTION_KEYS, slugify
from widget.substances.library import Library

SECTION_TITLES: dict[str, LazyString] = {
    "what_it_is": lazy_gettext("What it is"),
    "addictive": lazy_gettext("Is it addictive?"),
    "effects": lazy_gettext("Effects"),
    "risks": lazy_gettext("Risks and overdose"),
    "withdrawal": lazy_gettext("Withdrawal"),
    "treatment": lazy_gettext("Treatment and support"),
}
assert tuple(SECTION_TITLES) == SECTION_KEYS


def summary_context(
    library: Library, slug: str, locale: str, level: int, collapsible: bool, uid: str
) -> dict[str, Any]:
    """Everything the summary template needs."""
    summary, fell_back = library.summary(slug, locale)
    english = set(library.summaries_of(slug)["en"].other_names)
    return {
        "summary": summary,
        "fell_back": fell_back,
        # Names taken over from the English text ("ketum" in the Arabic one) are
        # marked English, so a screen reader does not read Latin letters as Arabic.
        "other_names": [
            (name, "en" if locale != "en" and not fell_back and name in english else None)
            for name in summary.other_names
        ],
        # The visitor's language named in itself, as a sentence needs it ("español").
        "locale_name": BabelLocale.parse(KNOWN_LOCALES[locale].babel_id).get_display_name(),
        "article": render_article(summary, uid),
        "section_titles": SECTION_TITLES,
        "level": level,
        "sub_level": sub_heading_level(level),
        "collapsible": collapsible,
        "reviewed_on": format_date(summary.last_updated, format="long"),
        "uid": uid,
        # The closing pointer to help is the compact helpline banner.
        "help": banner_context("compact", sub_heading_level(level), locale),
    }


def index_entries(library: Library, locale: str) -> list[dict[str, Any]]:
    """Every substance by its localized name, sorted for the locale."""
    entries = []
    for slug in library.substances:
        summary, fell_back = library.summary(slug, locale)
        entries.append({"slug": slug, "summary": summary, "fell_back": fell_back})
    # Accent-insensitive, case-insensitive order: "Éxtasis" sorts with E.
    entries.sort(key=lambda entry: (slugify(entry["summary"].name), entry["summary"].name))
    return entries
