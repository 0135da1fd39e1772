"""Find phone numbers with Google's phonenumbers matcher, in every region of our readers.

Each stretch of digits and phone punctuation is handed to
``PhoneNumberMatcher`` for the regions of our ten languages plus the UK,
Germany, Portugal and Brazil, until every digit of it is accounted for.
Leniency is VALID in every region: the number must belong to a range the
region really assigns. Measured on tests/redaction (the matcher alone, without
the two shapes below): POSSIBLE (length only) finds 171 of 174 phone cases
but reads five ordinary comments as phones ("1-800-662-HELP", "2.000.000
đồng", "1000000 steps"…); VALID finds 169 with no false positive;
STRICT_GROUPING and EXACT_GROUPING find 165 and 164, refusing numbers grouped
the way people type them ("090 123 4567", "0122 345 6789", "11 9 8765-4321").
(Each level was measured with all 18 regions at once; the script or words of
the comment only decide which region is tried first, to save time.)

Two shapes outside the matcher are still redacted: a run of 10-15 digits in
phone grouping that no region accepts (a fictional 555 number, a mistyped
real one), and a seven-digit local number ("555-1234", "555 1234").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, Leniency, PhoneMetadata, PhoneNumberMatcher

from widget.helpline.facts import load_services

REGIONS = ("US", "MX", "ES", "FR", "GB", "DE", "PT", "BR", "CN", "TW", "HK", "VN", "PH", "KR")
REGIONS += ("EG", "SA", "AE", "RU")
LENIENCY = dict.fromkeys(REGIONS, Leniency.VALID)

# Digits with the punctuation phone numbers are written with; a single space
# may join groups, so "call 612 34 56 78 now" is one stretch, and so may a
# slash with spaces around it ("040 / 123 456 78").
CANDIDATE = re.compile(r"(?:\+\s?|(?<!\d)00)?\(?\d(?:[\d().\-]|\s?/\s?|\s(?=[\d(]))*\d\)?")
DATE = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}|(?:19|20)\d\d\s?-\s?(?:19|20)\d\d")
LONG_RUN = re.compile(
    r"(?:\+\s?\d{1,3}[ .-]?)?(?:\(\d{1,4}\)\s?)?\d{2,}(?:[ .\-/](?:\(\d{1,4}\)|\d{2,}))*"
)
# An extension after the number belongs to it: "212-555-0147 ext 23".
EXTENSION = re.compile(
    r"\s*,?\s*(?i:ext|extension|x|доб|poste|anexo|ramal|Durchwahl)\.?\s*\d{1,6}\b"
)
TRAILING_COUNT = re.compile(r"\s\d{1,2}$")
QUANTITY = re.compile(r"\d{1,3}(?:([ .,])\d{3})(?:\1\d{3})*\1000")  # "1 500 000", "2.000.000"
YEARS = re.compile(r"(?:(?:19|20)\d\d[ ,]+)+(?:19|20)\d\d")  # "1999 2000 2001"
ROUND = re.compile(r"\d{3}0000")  # "1000000 steps"
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


def load_metadata() -> int:
    """Read now the metadata the matcher would read on first use; how many regions.

    The regions tried, and every region that shares a country code with one
    of them (a US number is checked against all 25 regions of +1).
    """
    regions = {r for region in REGIONS for r in _sharing_code(region)}
    for region in regions:
        PhoneMetadata.metadata_for_region(region)
    return len(regions)


def _sharing_code(region: str) -> tuple[str, ...]:
    code = PhoneMetadata.metadata_for_region(region).country_code
    return COUNTRY_CODE_TO_REGION_CODE.get(code, (region,))


def _digits(text: str) -> int:
    return sum(char.isdigit() for char in text)


def _not_a_phone(stretch: str) -> bool:
    """Dates, runs of years and round quantities read as numbers in some region: skip them."""
    return bool(DATE.fullmatch(stretch) or YEARS.fullmatch(stretch) or QUANTITY.fullmatch(stretch))


# Which regions to try first, from the letters around the number. Only the
# order changes (and so the time taken), never the set of regions tried.
_HINTS = (
    (re.compile(r"[ЀЁА-ӿ]"), ("RU",)),
    (re.compile(r"[가-힣]"), ("KR",)),
    (re.compile(r"[\u0600-\u06ff]"), ("EG", "SA", "AE")),
    (re.compile(r"[\u4e00-\u9fff]"), ("CN", "TW", "HK")),
    (re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I), ("VN",)),
    (re.compile(r"[ñ¿¡]|\b(?:mi|llama|número|tel[eé]fono)\b", re.I), ("ES", "MX")),
    (re.compile(r"[ãõ]|\b(?:meu|telemóvel|celular)\b", re.I), ("BR", "PT")),
    (re.compile(r"[äöüß]|\b(?:Handy|Nummer|Festnetz)\b"), ("DE",)),
    (re.compile(r"[èêëçœ]|\b(?:portable|numéro|tél)\b", re.I), ("FR",)),
    (re.compile(r"\b(?:ko|mo|po|namin|tawag)\b", re.I), ("PH",)),
)


@cache
def _national_prefixes() -> dict[str, str]:
    return {r: PhoneMetadata.metadata_for_region(r).national_prefix or "" for r in REGIONS}


def region_order(text: str) -> tuple[str, ...]:
    """Every region, those the comment's script or words suggest first."""
    hinted = [region for pattern, regions in _HINTS if pattern.search(text) for region in regions]
    return tuple(dict.fromkeys(hinted + list(REGIONS)))


def _regions(candidate: str, order: tuple[str, ...]) -> tuple[str, ...]:
    # An international number reads the same from any region: one matcher is enough.
    if candidate.startswith(("+", "00")):
        return ("FR",)
    # Then regions whose trunk prefix ("0", "8") the number starts with.
    prefixes = _national_prefixes()
    first = [r for r in order if prefixes[r] and candidate.lstrip("(").startswith(prefixes[r])]
    return tuple(dict.fromkeys(first + list(order)))


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of phone numbers that some region's matcher accepts."""
    order: tuple[str, ...] = ()
    for stretch in CANDIDATE.finditer(text):
        candidate = stretch.group(0)
        if not 7 <= _digits(candidate) <= 17 or _not_a_phone(candidate):
            continue
        order = order or region_order(text)
        # Done when the readings cover the stretch, bar a trailing count
        # ("555-123-4567 3 times").
        needed = _digits(TRAILING_COUNT.sub("", candidate))
        found: list[tuple[int, int]] = []
        for region in _regions(candidate, order):
            for match in PhoneNumberMatcher(candidate, region, leniency=LENIENCY[region]):
                # Regions read a number differently: "8 (916) 123-45-67" is a
                # US number after the "8" and a Russian one with it. The
                # longest reading wins.
                span = (match.start, match.end)
                overlapping = [(a, b) for a, b in found if a < span[1] and span[0] < b]
                if all(b - a < span[1] - span[0] for a, b in overlapping):
                    found = [f for f in found if f not in overlapping] + [span]
            if sum(_digits(candidate[a:b]) for a, b in found) >= needed:
                break
        for start, end in found:
            end = stretch.start() + end
            extension = EXTENSION.match(text, end)
            yield stretch.start() + start, extension.end() if extension else end


def find_unmatched(text: str) -> Iterator[tuple[int, int]]:
    """Spans of phone-shaped numbers the matcher refused: 10-15 grouped digits, 7-digit local."""
    # The caller drops spans that overlap the matcher's, so a longer reading wins there.
    for stretch in CANDIDATE.finditer(text):
        if _not_a_phone(stretch.group(0)):
            continue
        for run in LONG_RUN.finditer(text, stretch.start(), stretch.end()):
            # Up to 15 digits with a country code, 12 without: longer runs
            # are references and order numbers, not phones.
            if 10 <= _digits(run.group(0)) <= (15 if run.group(0).startswith("+") else 12):
                yield run.span()
    for match in LOCAL.finditer(text):
        if not ROUND.fullmatch(match.group(0)):
            yield match.span()
