"""Build what the summary and index widgets show, in the visitor's locale."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import Locale as BabelLocale
from flask_babel import format_date, lazy_gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from widget.helpline.banner_context import banner_context, contact_label
from widget.helpline.facts import load_contacts, load_services, require_contacts
from widget.i18n import proper_name
from widget.locales import KNOWN_LOCALES
from widget.params import sub_heading_level
from widget.substances.article import render_article, render_inline, term_html
from widget.substances.content import SECTION_KEYS, Summary, slugify
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
# The emergency callout's heading; also the name of its back links.
URGENT_TITLE = lazy_gettext("Get help right away")

# The callout's tap-to-call lines, from the facts file: (service id, contact ids).
URGENT_LINES = (
    ("emergency", ("emergency-call",)),
    ("lifeline-988", ("988-call", "988-text")),
    ("poison-help", ("poison-help-call",)),
)
require_contacts(contact for _, ids in URGENT_LINES for contact in ids)


# Reference lines have no catalogue entry of their own (babel_extract skips them).
URGENT_NAMES = {"poison-help": lazy_gettext("Poison Help")}


def urgent_lines() -> list[dict[str, Any]]:
    """The services and contacts the emergency callout offers, as the facts file says now."""
    services, contacts = load_services(), load_contacts()
    return [
        {
            # A name some catalogues keep in English is marked lang="en".
            "name": URGENT_NAMES.get(service) or proper_name(services[service].name),
            "contacts": [contacts[c] for c in ids],
        }
        for service, ids in URGENT_LINES
    ]


def review_context(summary: Summary, english: Summary) -> dict[str, Any]:
    """What the page says about review: "Last reviewed" only after a real review.

    Until then the date is when the text last changed, and a visible line says
    who has not checked it yet (a clinician; in a translation, a native speaker too).
    """
    if summary.review_status == "reviewed" and summary.reviewed_on:
        return {"reviewed": True, "time": _time(summary.reviewed_on), "pending": None}
    if summary.locale == "en":
        pending = lazy_gettext("This page has not yet been reviewed by a clinician.")
    elif english.review_status == "reviewed":
        pending = lazy_gettext(
            "A clinician reviewed the English text; this translation has not yet "
            "been reviewed by a native speaker."
        )
    else:
        pending = lazy_gettext(
            "This page has not yet been reviewed by a clinician, and this translation "
            "has not yet been reviewed by a native speaker."
        )
    return {"reviewed": False, "time": _time(summary.last_updated), "pending": pending}


def _time(date: dt.date) -> Markup:
    # The date as the visitor's language writes it, with a machine-readable twin.
    return Markup('<time datetime="{}">{}</time>').format(
        date.isoformat(), format_date(date, format="long")
    )


def summary_context(
    library: Library, slug: str, locale: str, level: int, collapsible: bool, uid: str
) -> dict[str, Any]:
    """Everything the summary template needs."""
    summary, fell_back = library.summary(slug, locale)
    return {
        "summary": summary,
        "fell_back": fell_back,
        "name_html": render_inline(summary.name_markup or summary.name, summary.locale),
        "lead": render_inline(summary.summary, summary.locale),
        # Other names are names, not words of a language: the same isolated
        # <bdi class="cw-name"> in every locale, never lang="en" ("ketum",
        # "Molly" and "الحشيش" alike).
        "other_names": [term_html("name", name, summary.locale) for name in summary.other_names],
        # The visitor's language named in itself, as a sentence needs it ("español").
        "locale_name": BabelLocale.parse(KNOWN_LOCALES[locale].babel_id).get_display_name(),
        "article": render_article(summary, uid, load_contacts(), summary.locale),
        "section_titles": {"emergency": URGENT_TITLE, **SECTION_TITLES},
        "urgent_title": URGENT_TITLE,
        "urgent_lines": urgent_lines(),
        "contact_label": contact_label,
        "level": level,
        "sub_level": sub_heading_level(level),
        "collapsible": collapsible,
        "review": review_context(summary, library.summaries_of(slug)["en"]),
        "uid": uid,
        # The closing pointer to help is the compact helpline banner.
        "help": banner_context("compact", sub_heading_level(level), locale),
    }


def index_entries(library: Library, locale: str) -> list[dict[str, Any]]:
    """Every substance by its localized name, sorted for the locale."""
    entries = []
    for slug in library.substances:
        summary, fell_back = library.summary(slug, locale)
        entries.append(
            {
                "slug": slug,
                "summary": summary,
                "fell_back": fell_back,
                "name": render_inline(summary.name_markup or summary.name, summary.locale),
                "lead": render_inline(summary.summary, summary.locale),
            }
        )
    # Accent-insensitive, case-insensitive order: "Éxtasis" sorts with E.
    entries.sort(key=lambda entry: (slugify(entry["summary"].name), entry["summary"].name))
    return entries
