"""Build what the helpline banner shows, per variant, from the helpline facts."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from markupsafe import Markup

from widget.helpline.facts import Contact, Service, load_services
from widget.linking import Link, fill, number_markup
from widget.params import sub_heading_level

VARIANTS = ("full", "compact", "crisis")


def contact_label(contact: Contact) -> Markup:
    """The translated label of a contact, its number kept left to right."""
    return fill(gettext(contact.label), number=number_markup(contact.shown))


def compact_sentence(services: dict[str, Service]) -> Markup:
    """The one-line banner: the treatment line and the crisis line, each a link."""
    helpline = services["samhsa"].contact("call")
    crisis = services["lifeline-988"].contact("call")
    return fill(
        gettext(
            "Free, confidential help with drugs or alcohol, 24/7: call %(helpline)s. "
            "In a crisis, call %(crisis)s."
        ),
        helpline=Link(helpline.href, helpline.shown, "cw-link cw-link--inline", is_number=True),
        crisis=Link(crisis.href, crisis.shown, "cw-link cw-link--inline", is_number=True),
    )


def crisis_call_link() -> Link:
    """A link that calls the 988 Lifeline, for sentences outside the banner."""
    call = load_services()["lifeline-988"].contact("call")
    return Link(call.href, call.shown, is_number=True)


def banner_context(variant: str, level: int) -> dict[str, Any]:
    """Everything the banner template needs for one variant and heading level."""
    services = load_services()
    return {
        "variant": variant,
        "level": level,
        "sub_level": sub_heading_level(level),
        "lifeline": services["lifeline-988"],
        "emergency": services["emergency"],
        "treatment_lines": [s for s in services.values() if s.tier == "treatment"],
        "compact_sentence": compact_sentence(services) if variant == "compact" else None,
        "contact_label": contact_label,
    }
