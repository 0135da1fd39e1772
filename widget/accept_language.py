"""The locale a visitor's Accept-Language header asks for, by rules an edge cache can repeat.

The header is a comma-separated list of elements ``tag`` or ``tag;q=value``.
The rules, kept small on purpose so that nginx's ``map`` regexes in
deploy/nginx/care-widgets.conf (and the CDN rules in deploy/README.md) give
exactly the same answer (tests/test_edge_locale.py proves it on a corpus of
real-world headers):

- an element is a tag (letters, then subtags of letters and digits after
  ``-`` or ``_``), optionally followed by ``;q=`` and a quality value as
  HTTP writes it (``0``, ``0.5``, ``0.125``, ``1``, ``1.000``), with spaces
  or tabs allowed around each part; any other element (``*``, ``q=2``, other
  parameters) is skipped;
- a tag is offered when its language is one of ours (widget/locales.py:
  regions and scripts choose Chinese; ``fil`` is Tagalog);
- the offered element with the highest quality wins, the first listed
  among equals; quality 0 means "not this one".
"""

from __future__ import annotations

import re
from functools import lru_cache

from widget.locales import locale_of_tag

# One element, whole. [0-9] and re.ASCII: no other script's digits or case
# folding (the Kelvin sign is not a "k"), as in nginx's byte-wise regexes.
_ELEMENT = re.compile(
    r"[ \t]*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*)[ \t]*"
    r"(?:;[ \t]*[qQ][ \t]*=[ \t]*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)[ \t]*)?",
    re.ASCII,
)
# Headers longer than this are negotiated each time instead of remembered:
# real browsers send under 100 characters, and odd ones must not fill memory.
MEMO_LONGEST = 256


def _negotiate(header: str) -> str | None:
    best, best_quality = None, 0.0
    for element in header.split(","):
        matched = _ELEMENT.fullmatch(element)
        if matched is None:
            continue
        tag, quality_text = matched.groups()
        quality = 1.0 if quality_text is None else float(quality_text.rstrip(".") or 0)
        if quality <= best_quality:
            continue
        locale = locale_of_tag(tag)
        if locale is not None:
            best, best_quality = locale, quality
    return best


@lru_cache(maxsize=1024)
def _remembered(header: str) -> str | None:
    return _negotiate(header)


def accept_language_locale(header: str | None) -> str | None:
    """The known locale the header asks for first, or None when it names none of ours."""
    if not header:
        return None
    if len(header) > MEMO_LONGEST:
        return _negotiate(header)
    return _remembered(header)
