"""Show a stored number in the local format and build a link that dials exactly it."""

from __future__ import annotations

import re
from urllib.parse import quote

_NANP = re.compile(r"^\+1(\d{3})(\d{3})(\d{4})$")
_SHORT_CODE = re.compile(r"^\d{3,6}$")


def display_number(number: str) -> str:
    """The number as people in the United States write it: 1-800-662-4357, 988."""
    match = _NANP.match(number)
    if match:
        return "1-" + "-".join(match.groups())
    if _SHORT_CODE.match(number):
        return number
    raise ValueError(f"not an E.164 NANP number or a short code: {number!r}")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def dial_href(action: str, number: str, body: str | None = None) -> str:
    """A tel: or sms: URI whose digits are the digits shown to the visitor."""
    shown = _digits(display_number(number))
    # tel: numbers carry the + of E.164 so they work from abroad; the digits
    # themselves are those on screen.
    target = f"+{shown}" if number.startswith("+") else shown
    if action in ("call", "tty"):
        return f"tel:{target}"
    if action == "text":
        return f"sms:{target}" + (f"?body={quote(body)}" if body else "")
    raise ValueError(f"no dial link for action {action!r}")
