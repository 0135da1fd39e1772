"""Build what the feedback form shows in each state: start, comment, thanks."""

from __future__ import annotations

from functools import cache
from typing import Any

from babel import Locale as BabelLocale
from flask import url_for
from flask_babel import gettext, ngettext

from widget.feedback.submission import COMMENT_LIMIT, HONEYPOT_FIELD, Submission
from widget.feedback.tokens import form_token
from widget.helpline.banner_context import crisis_call_link
from widget.i18n import current_locale
from widget.params import sub_heading_level

STATES = ("start", "comment", "thanks")


def status_message(state: str) -> str:
    """What the status region says once a state is reached."""
    if state == "comment":
        return gettext("Thank you. Your answer was saved.")
    if state == "thanks":
        return gettext("Thank you for your feedback.")
    return ""


@cache
def _plural_samples(babel_id: str) -> dict[str, int]:
    """One whole number for each CLDR plural category of a locale (computed once)."""
    rule = BabelLocale.parse(babel_id).plural_form
    samples: dict[str, int] = {}
    for number in range(0, 1001):
        samples.setdefault(rule(number), number)
    return samples


def count_templates() -> dict[str, dict[str, str]]:
    """Translated count sentences per plural category, with {count} for the script to fill."""
    templates: dict[str, dict[str, str]] = {"left": {}, "over": {}}
    for category, number in _plural_samples(current_locale().babel_id).items():
        left = ngettext("%(num)d character left", "%(num)d characters left", number)
        over = ngettext("%(num)d character too many", "%(num)d characters too many", number)
        templates["left"][category] = left.replace(str(number), "{count}", 1)
        templates["over"][category] = over.replace(str(number), "{count}", 1)
    return templates


def form_context(
    state: str,
    submission: Submission,
    level: int,
    query: dict[str, str],
    uid: str,
    token: str | None = None,
) -> dict[str, Any]:
    """Everything the form template needs for one state (a fresh token unless given)."""
    left = COMMENT_LIMIT - len(submission.comment)
    return {
        "state": state,
        "submission": submission,
        "status_text": status_message(state) if not submission.errors else "",
        "level": level,
        "sub_level": sub_heading_level(level),
        "uid": uid,
        "limit": COMMENT_LIMIT,
        "left": left,
        "count_templates": count_templates(),
        "token": token or form_token(),
        "honeypot_field": HONEYPOT_FIELD,
        "crisis_link": crisis_call_link(),
        # Absolute: the form may sit on a partner's page.
        "action": url_for("feedback.submit", _external=True, **query),
    }
