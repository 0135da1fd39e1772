"""Show a stored number the way it is dialled, and build a link that dials exactly it.

A number is shown in the local grouping (1-800-662-4357, 988) with a hair
space (U+200A) between the digits of each group and a non-breaking hyphen
(U+2011) between groups. On screen that is practically the number as
written; to a speech synthesizer it is separate digits. Orca passes the
text as it is to speech-dispatcher, and espeak-ng then says "nine eight
eight" instead of "nine hundred eighty-eight", and "one eight zero zero
six six two ..." instead of "one dash eight hundred dash ...", in every
language of the widgets (tests/test_helpline_spoken.py checks all ten).
The visible text and the spoken text stay the same: no aria-label replaces
the number. The tel:/sms: addresses keep the digits only.

Costs, written down in docs/screen-readers.md: a braille display shows a
blank cell between digits (liblouis maps U+200A to a space); copying the
number copies the hair spaces and non-breaking hyphens (the links dial the
digits); voice control must match "9 8 8". Hair spaces are line-break
opportunities: every number sits in a `white-space: nowrap` element
(.cw-number, .cw-tel), which keeps it one unit.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_NANP = re.compile(r"^\+1(\d{3})(\d{3})(\d{4})$")
_SHORT_CODE = re.compile(r"^\d{3,6}$")
# Between two digits of a group: read apart, drawn almost touching.
DIGIT_SEPARATOR = "\u200a"
# Between groups: drawn as a hyphen, never a line break, and not read as "dash".
GROUP_SEPARATOR = "\u2011"


def written_number(number: str) -> str:
    """The number as people in the United States write it: 1-800-662-4357, 988."""
    match = _NANP.match(number)
    if match:
        return "1-" + "-".join(match.groups())
    if _SHORT_CODE.match(number):
        return number
    raise ValueError(f"not an E.164 NANP number or a short code: {number!r}")


def spaced(written: str) -> str:
    """A written number (1-800-662-4357, 988) with the reading aids between its digits."""
    groups = written.split("-")
    if not all(group.isdigit() for group in groups):
        raise ValueError(f"not a written number: {written!r}")
    return GROUP_SEPARATOR.join(DIGIT_SEPARATOR.join(group) for group in groups)


_KEYPAD = {
    letter: str(key)
    for key, letters in enumerate(
        ("", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ")
    )
    for letter in letters
}


def keypad_digits(mnemonic: str) -> str:
    """The digits a phone keypad dials for a mnemonic: 1-800-662-HELP → 18006624357."""
    return "".join(_KEYPAD.get(char, char) for char in mnemonic.upper() if char.isalnum())


def spaced_mnemonic(mnemonic: str) -> str:
    """A keypad form (1-800-662-HELP) with reading aids in its digit groups only.

    1‑8 0 0‑6 6 2‑HELP is read "one eight zero zero six six two help", the way
    it is dialled and said; the letters stay a word. A group that mixes
    letters and digits (HELP4U) is left as it is: "help four u".
    """
    groups = mnemonic.split("-")
    if not all(group.isalnum() and group.isascii() for group in groups):
        raise ValueError(f"not a keypad form: {mnemonic!r}")
    return GROUP_SEPARATOR.join(
        DIGIT_SEPARATOR.join(group) if group.isdigit() else group for group in groups
    )


def unspaced(shown: str) -> str:
    """A shown number without its reading aids, as a visitor would type it: 1-800-662-4357."""
    return shown.replace(DIGIT_SEPARATOR, "").replace(GROUP_SEPARATOR, "-")


def display_number(number: str) -> str:
    """The number as written in the United States, spaced to be read digit by digit.

    +18006624357 and 988 are shown as 1‑8 0 0‑6 6 2‑4 3 5 7 and 9 8 8, with
    hair spaces and non-breaking hyphens (see the module's docstring).
    """
    return spaced(written_number(number))


def digits(text: str) -> str:
    """Only the digits of a number, as a phone dials them."""
    return re.sub(r"\D", "", text)


def dial_href(action: str, number: str, body: str | None = None) -> str:
    """A tel: or sms: URI whose digits are the digits shown to the visitor."""
    shown = digits(display_number(number))
    # tel: numbers carry the + of E.164 so they work from abroad; the digits
    # themselves are those on screen.
    target = f"+{shown}" if number.startswith("+") else shown
    if action in ("call", "tty"):
        return f"tel:{target}"
    if action == "text":
        return f"sms:{target}" + (f"?body={quote(body)}" if body else "")
    raise ValueError(f"no dial link for action {action!r}")
