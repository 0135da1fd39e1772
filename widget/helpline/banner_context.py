"""Build what the helpline banner shows, per variant, from the helpline facts."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from markupsafe import Markup, escape

from widget import catalogue
from widget.helpline.facts import Contact, Service, load_services, require_contacts
from widget.helpline.references import mark_foreign_words
from widget.i18n import current_locale
from widget.linking import Link, fill, number_markup
from widget.params import sub_heading_level
from widget.partners.current import current_partner
from widget.partners.registry import LocalText, PartnerContact, PartnerLine

# The variants its component file lists (widget/templates/helpline/banner.yaml).
VARIANTS = catalogue.builtin().widget("helpline-banner").variants
# The lines every banner names; an edit of the facts file must keep them.
require_contacts(("emergency-call", "988-call", "samhsa-call"))


def contact_label(contact: Contact) -> Markup:
    """The translated label of a contact, its number kept left to right, and the
    word it asks to send (AYUDA) marked in its own language."""
    label = fill(gettext(contact.label), number=number_markup(contact.shown))
    if contact.body and contact.body_lang and contact.body_lang != current_locale().tag:
        rtl = current_locale().direction == "rtl"
        return mark_foreign_words(label, {contact.body: contact.body_lang}, rtl=rtl)
    return label


def service_text(service: Service, text: str) -> Markup:
    """A translated sentence of the facts file, %(number)s shown as the service's
    call number (spaced, so screen readers say it digit by digit, kept left to
    right and on one line)."""
    if "%(number)s" not in text:
        return escape(gettext(text))
    return fill(gettext(text), number=number_markup(service.contact("call").shown))


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


def partner_text(text: LocalText, tag: str) -> Markup:
    """A partner's own words in the visitor's language, or in English marked lang="en"."""
    chosen, fallback = text.pick(tag)
    if fallback:
        return Markup('<span lang="{}">{}</span>').format(fallback, chosen)
    return escape(chosen)


# The same labels as the national lines, so translators meet them once.
_PARTNER_LABELS = {"call": "Call %(number)s", "text": "Text %(number)s", "tty": "TTY: %(number)s"}


def _partner_action(contact: PartnerContact, name: Markup) -> dict[str, Any]:
    if contact.action == "web":
        label = fill(gettext("Visit the website of %(name)s"), name=name)
    else:
        label = fill(gettext(_PARTNER_LABELS[contact.action]), number=number_markup(contact.shown))
    return {"href": contact.href, "label": label}


def _partner_line(line: PartnerLine, tag: str) -> dict[str, Any]:
    name = partner_text(line.name, tag)
    first_call = next((c for c in line.contacts if c.action == "call"), None)
    return {
        "name": name,
        "summary": partner_text(line.summary, tag) if line.summary else None,
        "hours": partner_text(line.hours, tag) if line.hours else None,
        "actions": [_partner_action(contact, name) for contact in line.contacts],
        "compact": fill(
            gettext("You can also call %(name)s at %(number)s."),
            name=name,
            number=Link(
                first_call.href, first_call.shown, "cw-link cw-link--inline", is_number=True
            ),
        )
        if first_call
        else None,
    }


def partner_lines(tag: str) -> list[dict[str, Any]]:
    """The request's partner's own lines, ready for the banner (none without a partner)."""
    partner = current_partner()
    if partner is None:
        return []
    return [_partner_line(line, tag) for line in partner.helplines]


def banner_context(variant: str, level: int, tag: str) -> dict[str, Any]:
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
        # A partner's intake line is not a crisis line: not in the crisis variant.
        "partner_lines": partner_lines(tag) if variant != "crisis" else [],
        "contact_label": contact_label,
        "service_text": service_text,
    }
