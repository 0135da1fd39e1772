"""Find card-like (Luhn-valid) and SSN-like numbers, however their groups are separated."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Groups of a card may be joined by a space, two or three spaces, a hyphen or a
# dot, with spaces around it: "4111  1111  1111  1111", "4111.1111.1111.1111".
_CARD_SEPARATOR = r"(?: {1,3}|\s?[-.]\s?)"
DIGIT_RUN = re.compile(rf"(?<![\d+])\d+(?:{_CARD_SEPARATOR}\d+)*")
_GROUP = re.compile(r"\d+")

_SSN_SEPARATOR = r"(?:\s*[-.]\s*|\s)"
# 123-45-6789, 123.45.6789, 123 - 45 - 6789, 123 45 6789, 123-456789.
SSN = re.compile(
    rf"(?<![\d+.])\d{{3}}(?:{_SSN_SEPARATOR}\d{{2}}{_SSN_SEPARATOR}\d{{4}}|{_SSN_SEPARATOR}\d{{6}})(?![\d])"
)
# Nine digits in one piece: an SSN typed on a phone, unless a phone matcher
# claimed it first (a Spanish or Portuguese mobile has nine digits too).
BARE_SSN = re.compile(r"(?<![\d+.,])\d{9}(?![\d.,]?\d)")


def luhn_valid(digits: str) -> bool:
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
    return shaped and digits[0] != "0" and 13 <= len(digits) <= 19 and luhn_valid(digits)


def find_cards(text: str) -> Iterator[tuple[int, int]]:
    """Spans of card numbers: inside each run of digit groups, the card-shaped ones.

    Looking inside the run keeps "4111 1111 1111 1111 2 times" telling its count.
    """
    for run in DIGIT_RUN.finditer(text):
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        i = 0
        while i < len(groups):
            for j in range(min(len(groups), i + 5) - 1, i - 1, -1):
                if _is_card([m.group(0) for m in groups[i : j + 1]]):
                    yield groups[i].start(), groups[j].end()
                    i = j
                    break
            i += 1


def find_ssns(text: str) -> Iterator[tuple[int, int]]:
    """Spans of SSN-shaped numbers with separators."""
    for match in SSN.finditer(text):
        yield match.span()


def find_bare_ssns(text: str) -> Iterator[tuple[int, int]]:
    """Spans of nine digits in one piece."""
    for match in BARE_SSN.finditer(text):
        yield match.span()
