"""Find phone numbers with Google's phonenumbers matcher, in every region of our readers.

Each stretch of digits and phone punctuation is handed to
``PhoneNumberMatcher`` for the regions of our ten languages plus the UK,
Germany, Portugal and Brazil, until every digit of it is accounted for.
Leniency is VALID in every region: the number must belong to a range the
region really assigns. POSSIBLE (length only) read dates, years, counts and
prices as German, British, Korean and Philippine numbers in our corpus of
ordinary comments; STRICT_GROUPING and EXACT_GROUPING refuse numbers grouped
the way people actually type them ("0 6 1 2…", "61 234 5678").

Two shapes outside the matcher are still redacted: a run of 10-15 digits in
phone grouping that no region accepts (a fictional 555 number, a mistyped
real one), and a seven-digit local number ("555-1234", "555 1234").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from phonenumbers import Leniency, PhoneNumberMatcher

from widget.helpline.facts import load_services

REGIONS = ("US", "MX", "ES", "FR", "GB", "DE", "PT", "BR", "CN", "TW", "HK", "VN", "PH", "KR")
REGIONS += ("EG", "SA", "AE", "RU")
LENIENCY = dict.fromkeys(REGIONS, Leniency.VALID)

# Digits with the punctuation phone numbers are written with; a single space
# may join groups, so "call 612 34 56 78 now" is one stretch.
CANDIDATE = re.compile(r"(?:\+\s?|(?<!\d)00)?\(?\d(?:[\d().\-/]|\s(?=[\d(]))*\d\)?")
DATE = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}|(?:19|20)\d\d\s?-\s?(?:19|20)\d\d")
LONG_RUN = re.compile(
    r"(?:\+\s?\d{1,3}[ .-]?)?(?:\(\d{1,4}\)\s?)?\d{2,}(?:[ .\-/]?(?:\(\d{1,4}\)|\d{2,}))*"
)
# "555-1234", "555 1234", "5551234", and the Russian "123-45-67".
LOCAL = re.compile(
    r"(?<![\d+.,/$€£¥-])\d{3}(?:[-. ]?\d{4}|([-. ])\d\d\1\d\d)"
    r"(?![\d%]|[.,/-]\d|\s?(?:mg|ml|g|kg|km|m)\b)"
)


@cache
def helpline_digits() -> frozenset[str]:
    """Digits of every number in the helpline facts file, with and without the +1."""
    numbers = set()
    for service in load_services().values():
        for contact in service.contacts:
            if contact.shown:
                digits = re.sub(r"\D", "", contact.shown)
                numbers.add(digits)
                if len(digits) == 11 and digits.startswith("1"):
                    numbers.add(digits[1:])
    return frozenset(numbers)


def is_helpline(text: str) -> bool:
    """True if ``text`` is one of our own public helpline numbers, however written."""
    return re.sub(r"\D", "", text) in helpline_digits()


def _digits(text: str) -> int:
    return sum(char.isdigit() for char in text)


def _regions(candidate: str) -> tuple[str, ...]:
    # An international number reads the same from any region: one matcher is enough.
    if candidate.startswith(("+", "00")):
        return ("FR",)
    return REGIONS


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of phone numbers that some region's matcher accepts."""
    for stretch in CANDIDATE.finditer(text):
        candidate = stretch.group(0)
        if not 7 <= _digits(candidate) <= 17 or DATE.fullmatch(candidate):
            continue
        found: list[tuple[int, int]] = []
        for region in _regions(candidate):
            for match in PhoneNumberMatcher(candidate, region, leniency=LENIENCY[region]):
                # Regions read a number differently: "8 (916) 123-45-67" is a
                # US number after the "8" and a Russian one with it. The
                # longest reading wins.
                span = (match.start, match.end)
                overlapping = [(a, b) for a, b in found if a < span[1] and span[0] < b]
                if all(b - a < span[1] - span[0] for a, b in overlapping):
                    found = [f for f in found if f not in overlapping] + [span]
            if sum(_digits(candidate[a:b]) for a, b in found) == _digits(candidate):
                break
        for start, end in found:
            yield stretch.start() + start, stretch.start() + end


def find_unmatched(text: str) -> Iterator[tuple[int, int]]:
    """Spans of phone-shaped numbers the matcher refused: 10-15 grouped digits, 7-digit local."""
    # The caller drops spans that overlap the matcher's, so a longer reading wins there.
    for stretch in CANDIDATE.finditer(text):
        if DATE.fullmatch(stretch.group(0)):
            continue
        for run in LONG_RUN.finditer(text, stretch.start(), stretch.end()):
            # Up to 15 digits with a country code, 12 without: longer runs
            # are references and order numbers, not phones.
            if 10 <= _digits(run.group(0)) <= (15 if run.group(0).startswith("+") else 12):
                yield run.span()
    for match in LOCAL.finditer(text):
        yield match.span()
