"""Redact personal data from visitor feedback comments before they are stored.

Feedback comments are short (at most 100 characters) and free text. People in
distress sometimes type contact details into them, so each comment is passed
through :func:`redact`, which swaps recognisable personal data for a neutral
placeholder: ``[email]``, ``[card]``, ``[phone]``, ``[ssn]`` or ``[address]``.

The patterns deliberately leave ordinary numbers alone (years, ages, doses,
counts, percentages, times, 988, 911, "24/7"): a number is only redacted when
its shape is specific to personal data. Everything else in the comment is kept
exactly as written. Standard library only; no web framework imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

EMAIL_RE = re.compile(r"[\w.%+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}\b")

# Card candidates are found in two steps: DIGIT_RUN_RE takes a whole run of
# digit groups joined by single spaces/hyphens, then _redact_cards_in_run looks
# inside it for card-shaped groups (one 13-19 digit block, or a 4-digit group
# followed by 2-4 groups of 3-6 digits) that pass the Luhn check. Searching
# inside the run keeps "4111 1111 1111 1111 2 times" working.
DIGIT_RUN_RE = re.compile(r"(?<![\d+])\d+(?:[ -]\d+)*")
_DIGIT_GROUP_RE = re.compile(r"\d+")

US_PHONE = r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}"
# "+" or "00", a country code, then groups; the last group has 2+ digits so a
# trailing count ("... 78 2 veces") is not swallowed.
INTL_PHONE = r"(?:\+|(?<!\d)00)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){1,5}[ .-]?\d{2,4}"
PHONE_RE = re.compile(rf"(?<![\d+])(?:{US_PHONE}|{INTL_PHONE})(?!\d)")

# 123-45-6789, 123 45 6789, and a bare 123456789 (people on phones skip the
# dashes; privacy wins over the odd nine-digit number).
SSN_RE = re.compile(r"(?<![\d+])(?:\d{3}([ -])\d{2}\1\d{4}|\d{9})(?!\d)")
# A seven-digit local number needs its separator: 555-1234, 555.1234.
LOCAL_PHONE_RE = re.compile(r"(?<![\d+.-])\d{3}[.-]\d{4}(?![\d.-])")

_EN_SUFFIX = (
    r"(?i:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Ct|Court"
    r"|Way|Pl|Place|Ter|Terrace|Cir|Circle|Pkwy|Parkway|Hwy|Highway|Sq|Square)\b"
)
_UNIT_ID = r"(?:[A-Za-z]?\d+[\w-]*|[A-Za-z]\b)"  # "5", "5B", "B12", "B"
_EN_UNIT = r"(?:,?\s*(?i:Apt|Apartment|Suite|Ste|Unit|Fl|Floor)\.?\s*|\s*#\s*)" + _UNIT_ID
# "123 Main St", "4500 N. Oak Avenue Apt 5", "742 Evergreen Terrace": a house
# number, optional direction, 1-3 capitalised (or ordinal) name words, suffix.
# A period after the suffix is only taken before a unit, so "St." ending a
# sentence keeps its full stop.
EN_ADDRESS = (
    r"\b\d{1,6}[A-Za-z]?(?:\s+(?:[NSEW]\.?|North|South|East|West|NE|NW|SE|SW))?"
    r"(?:\s+(?:[A-Z][A-Za-z'’-]+|\d+(?:st|nd|rd|th))){1,3}\s+" + _EN_SUFFIX + rf"(?:\.?{_EN_UNIT})?"
)
# Typed on a phone, names are often lowercase ("123 main street"); then only
# suffixes that are not everyday words count (not "way", "place", "drive").
_EN_PLAIN_SUFFIX = (
    r"(?i:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|hwy|highway|pkwy|parkway)\b"
)
EN_ADDRESS_LOWER = (
    r"\b\d{1,6}[a-z]?(?:\s+[a-z][a-z'’-]+){1,2}\s+" + _EN_PLAIN_SUFFIX + rf"(?:\.?{_EN_UNIT})?"
)
EN_PO_BOX = r"\b(?i:P\.?\s?O\.?\s+Box)\s+\d+"

_ES_KEYWORD = (
    r"(?:\b(?i:Calle|Avenida|Avda|Av|Paseo|Plaza|Camino|Carrera|Cra|Calzada"
    r"|Carretera|Privada|Bulevar)\b\.?\s+|\b[Cc]/\s*)"
)
_ES_LINK = r"(?:de|del|la|las|los|el|y)"
_ES_NAME = r"(?:[A-ZÁÉÍÓÚÑÜ][\w'’.-]*|\d{1,4})"
_ES_NUMBER = r"(?:\s*#\s*|\s+(?:No|N[º°]|Núm|Num)\.?\s*|,?\s+)\d{1,5}[A-Za-z]?(?:-\d{1,4})?"
_ES_UNIT = r"(?:,?\s+(?i:piso|depto|dpto|int|interior|apto|puerta)\.?\s*" + _UNIT_ID + ")?"
# "Calle 5 #123", "Av. Juárez 45", "Avenida Reforma 222", "Calle de Alcalá 20":
# a street keyword, a name with at least one capitalised word or number, then
# the house number.
ES_ADDRESS = (
    _ES_KEYWORD
    + rf"(?:{_ES_LINK}\s+)*{_ES_NAME}(?:\s+(?:{_ES_LINK}|{_ES_NAME}))*?"
    + _ES_NUMBER
    + _ES_UNIT
)
# Lowercase, as typed on a phone: "calle reforma 222" (one name word, then the
# number; "calle de 5 metros" and "calle desde hace 3 años" stay).
ES_ADDRESS_LOWER = _ES_KEYWORD + rf"(?!{_ES_LINK}\b)[a-záéíóúñü]{{3,}}\s+\d{{1,5}}\b"
ADDRESS_RE = re.compile(
    rf"(?:{EN_ADDRESS}|{EN_ADDRESS_LOWER}|{EN_PO_BOX}|{ES_ADDRESS}|{ES_ADDRESS_LOWER})"
)


def _luhn_valid(digits: str) -> bool:
    """Return True if the digit string passes the Luhn checksum."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_card(groups: list[str]) -> bool:
    """Tell whether consecutive digit groups form a plausible card number."""
    digits = "".join(groups)
    if len(groups) == 1:
        shaped = True
    else:
        shaped = 3 <= len(groups) <= 5 and len(groups[0]) == 4
        shaped = shaped and all(3 <= len(g) <= 6 for g in groups[1:])
    return shaped and digits[0] != "0" and 13 <= len(digits) <= 19 and _luhn_valid(digits)


def _redact_cards_in_run(run: str) -> tuple[str, int]:
    """Replace each card number inside a run of digit groups; keep the rest."""
    groups = list(_DIGIT_GROUP_RE.finditer(run))
    pieces: list[str] = []
    kept_from, found, i = 0, 0, 0
    while i < len(groups):
        for j in range(min(len(groups), i + 5) - 1, i - 1, -1):
            if _is_card([m.group(0) for m in groups[i : j + 1]]):
                pieces += [run[kept_from : groups[i].start()], "[card]"]
                kept_from, found, i = groups[j].end(), found + 1, j
                break
        i += 1
    return "".join(pieces) + run[kept_from:], found


def _placeholder(label: str) -> Callable[[str], tuple[str, int]]:
    """Build a replacer that swaps the whole match for ``label``."""
    return lambda _match: (label, 1)


def _phone(candidate: str) -> tuple[str, int]:
    """Redact a phone-shaped match unless it has implausibly few digits."""
    if 8 <= sum(char.isdigit() for char in candidate) <= 15:
        return "[phone]", 1
    return candidate, 0


# Order matters, and each rule runs over the output of the previous ones:
# 1. email first: "juan5551234567@gmail.com" holds a phone-shaped run; if the
#    phone rule ran first, "juan[phone]@gmail.com" would no longer look like
#    an email and the domain would leak.
# 2. card before phone/ssn: a card group such as "0012" in
#    "6011 0012 3456 7891" looks like an international "00" prefix, so the
#    phone rule would redact a slice and leave "6011" exposed.
# 3. phone before ssn: "+34 612 34 5678" ends in an SSN-shaped run, which
#    would strand the "+34" prefix if ssn ran first.
# 4. address last: its house number could otherwise take the last group of
#    a phone written just before a street name ("555 123 4567 Main St").
_RULES: tuple[tuple[re.Pattern[str], Callable[[str], tuple[str, int]]], ...] = (
    (EMAIL_RE, _placeholder("[email]")),
    (DIGIT_RUN_RE, _redact_cards_in_run),
    (PHONE_RE, _phone),
    (SSN_RE, _placeholder("[ssn]")),
    (LOCAL_PHONE_RE, _placeholder("[phone]")),
    (ADDRESS_RE, _placeholder("[address]")),
)


def _apply(
    pattern: re.Pattern[str], replacer: Callable[[str], tuple[str, int]], text: str
) -> tuple[str, int]:
    """Run one rule over ``text``; return the new text and replacements made."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        new_text, replaced = replacer(match.group(0))
        count += replaced
        return new_text

    return pattern.sub(replace, text), count


@dataclass(frozen=True)
class Redaction:
    """The outcome of redacting one comment."""

    text: str  # the redacted comment
    count: int  # how many redactions were made


def redact(comment: str) -> Redaction:
    """Replace personal data in ``comment`` with placeholders.

    Returns the redacted text and the number of spans replaced; each replaced
    span counts once. Text that is not personal data is returned unchanged.
    """
    text, count = comment, 0
    for pattern, replacer in _RULES:
        text, replaced = _apply(pattern, replacer, text)
        count += replaced
    return Redaction(text=text, count=count)
