"""Redact personal data from visitor feedback comments before they are stored.

Feedback comments are short (at most 100 characters) and free text. People in
distress sometimes type contact details into them, so each comment is passed
through :func:`redact`, which swaps recognisable personal data for a neutral
placeholder: ``[email]``, ``[card]``, ``[ssn]``, ``[phone]`` or ``[address]``.

Matching runs on a normalized copy of the comment (``text``), each finder
(``emails``, ``numbers``, ``phones``, ``addresses``) proposes spans, and the
placeholders replace exactly what the visitor typed there. Ordinary numbers
(doses, dates, times, counts, ages, prices) and our own helpline numbers stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from widget.feedback.redaction import addresses, emails, numbers, phones
from widget.feedback.redaction.text import normalize

Finder = Callable[[str], Iterator[tuple[int, int]]]

# First come, first served: later finders do not see what earlier ones found.
# - e-mail first: "juan5551234567@gmail.com" holds a phone-shaped run;
# - cards before phones and SSNs: a card group "0012" looks like a "00" prefix;
# - SSNs with separators before phones: some region accepts most digit strings;
# - the matcher's phones before nine bare digits (a Spanish mobile has nine);
# - addresses last: their house number could otherwise take a phone's last group.
FINDERS: tuple[tuple[str, Finder], ...] = (
    ("email", emails.find),
    ("card", numbers.find_cards),
    ("ssn", numbers.find_ssns),
    ("phone", phones.find),
    ("ssn", numbers.find_bare_ssns),
    ("phone", phones.find_unmatched),
    ("address", addresses.find),
)
_NUMBERS = {"card", "ssn", "phone"}
# Cards, SSNs, phones and house numbers all hold a number: in a comment
# without one (after spelled digits became digits) only e-mail is looked for.
_NEED_A_NUMBER = {"card", "ssn", "phone", "address"}


@dataclass(frozen=True)
class Redaction:
    """The outcome of redacting one comment."""

    text: str  # the redacted comment
    count: int  # how many redactions were made


def _finders_for(text: str) -> tuple[tuple[str, Finder], ...]:
    """The finders that can find something in the normalized text."""
    if any(char.isnumeric() for char in text):
        return FINDERS
    return tuple((label, finder) for label, finder in FINDERS if label not in _NEED_A_NUMBER)


def _blank(text: str, claimed: list[tuple[int, int, str]]) -> str:
    for start, end, _ in claimed:
        text = text[:start] + "\x00" * (end - start) + text[end:]
    return text


def redact(comment: str) -> Redaction:
    """Replace personal data in ``comment`` with placeholders.

    Returns the redacted text and the number of spans replaced; each replaced
    span counts once. Text that is not personal data is returned unchanged.
    """
    normalized = normalize(comment)
    text = normalized.text
    claimed: list[tuple[int, int, str]] = []
    for label, finder in _finders_for(text):
        # Each finder sees earlier finds blanked out, so a phone stretch does
        # not run on into an SSN found before it.
        for start, end in finder(_blank(text, claimed)):
            if start >= end or any(start < b and a < end for a, b, _ in claimed):
                continue
            if label in _NUMBERS and phones.is_helpline(text[start:end]):
                continue
            claimed.append((start, end, label))
    pieces: list[str] = []
    kept = 0
    for start, end, label in sorted(claimed):
        first, last = normalized.original_span(start, end)
        pieces += [comment[kept:first], f"[{label}]"]
        kept = last
    return Redaction(text="".join(pieces) + comment[kept:], count=len(claimed))
