"""Put links and phone numbers into translated sentences without breaking them apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Link:
    """A link to put where a sentence says %(name)s."""

    href: str
    text: str
    css_class: str = "cw-link"
    is_number: bool = False


def number_markup(shown: str) -> Markup:
    """A phone number kept left to right inside any text direction.

    The stylesheet isolates every .cw-number; only a right-to-left page needs
    the dir attribute as well (on a left-to-right one it would cost ten bytes a
    number of the banner's size budget and change nothing).
    """
    if get_locale().text_direction == "rtl":
        return Markup('<span class="cw-number" dir="ltr">{}</span>').format(shown)
    return Markup('<span class="cw-number">{}</span>').format(shown)


def _link_markup(link: Link) -> Markup:
    text = number_markup(link.text) if link.is_number else escape(link.text)
    return Markup('<a class="{}" href="{}">{}</a>').format(link.css_class, link.href, text)


def fill(translated: str, **parts: Markup | Link | str) -> Markup:
    """Replace %(name)s in an already translated sentence with escaped text or markup."""

    def replace(match: re.Match[str]) -> str:
        part = parts[match.group(1)]
        if isinstance(part, Link):
            return _link_markup(part)
        return escape(part)

    pieces = _PLACEHOLDER.split(translated)
    out = []
    for index, piece in enumerate(pieces):
        # split() with one group alternates text, name, text, name, ...
        if index % 2:
            out.append(replace(_PLACEHOLDER.match(f"%({piece})s")))
        else:
            out.append(escape(piece))
    return Markup("").join(out)


def sentence(msgid: str, **parts: Markup | Link | str) -> Markup:
    """Translate a message id, then fill its placeholders with links or text."""
    return fill(gettext(msgid), **parts)
