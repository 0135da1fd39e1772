"""Read a feedback submission, check it, and say what is wrong in the visitor's words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from flask_babel import gettext, ngettext
from werkzeug.datastructures import MultiDict

COMMENT_LIMIT = 100
PAGE_LIMIT = 2000
HONEYPOT_FIELD = "website"


@dataclass
class Submission:
    """What the visitor sent, kept whole so a rejected form can show it again."""

    helpful: str = ""
    comment: str = ""
    page: str = ""
    token: str = ""
    entry: str = ""
    honeypot: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def answer(self) -> bool | None:
        """True for yes, False for no, None when not (yet) answered."""
        return {"yes": True, "no": False}.get(self.helpful)


def clean_page(raw: str) -> str | None:
    """The page URL without query string or fragment; None if it is not a web address."""
    if not raw:
        return ""
    if len(raw) > PAGE_LIMIT or any(ord(char) < 32 for char in raw):
        return None
    try:
        parts = urlsplit(raw.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    # Query strings and fragments can carry personal data (search terms,
    # email links): they are never stored.
    cleaned = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
    # Checked again: the rebuilt address may be longer (a path "/" added).
    return cleaned if len(cleaned) <= PAGE_LIMIT else None


FIELDS = ("helpful", "comment", "page", "token", "entry", HONEYPOT_FIELD)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def read_submission(form: MultiDict[str, str]) -> Submission:
    """Take the posted fields as they are, and check each."""
    submission = Submission(
        helpful=form.get("helpful", ""),
        # Control characters other than line breaks and tabs are never typed,
        # show nothing, and PostgreSQL refuses NUL: they are dropped.
        comment=_CONTROL.sub("", form.get("comment", "").replace("\r\n", "\n")),
        page=form.get("page", ""),
        token=form.get("token", ""),
        entry=form.get("entry", ""),
        honeypot=form.get(HONEYPOT_FIELD, ""),
    )
    if any(len(form.getlist(name)) > 1 for name in FIELDS):
        # A browser sends each field once; repeated fields come from scripts.
        submission.errors["form"] = gettext("Your feedback could not be sent.")
    if submission.helpful not in ("", "yes", "no"):
        submission.errors["helpful"] = gettext("Choose Yes or No.")
    if not submission.helpful and not submission.entry:
        submission.errors["helpful"] = gettext("Choose Yes or No.")
    length = len(submission.comment)
    if length > COMMENT_LIMIT:
        # An error, never a silent cut: the visitor decides what to drop.
        over = length - COMMENT_LIMIT
        submission.errors["comment"] = ngettext(
            "Your comment is %(num)d character too long. Please shorten it to %(limit)d "
            "characters or fewer.",
            "Your comment is %(num)d characters too long. Please shorten it to %(limit)d "
            "characters or fewer.",
            over,
            limit=COMMENT_LIMIT,
        )
    # Cleaned here, once: the query string and fragment are dropped at once,
    # never carried or stored. An address that is not a web address stays as
    # sent, to be shown back with its error.
    cleaned = clean_page(submission.page)
    if cleaned is None:
        submission.errors["page"] = gettext("The address of the page is not a web address.")
    else:
        submission.page = cleaned
    return submission
