"""Find e-mail addresses, typed plainly or written out ("jane at example dot com")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from widget.feedback.redaction.text import vocabulary

_LETTERS = "A-Za-z0-9À-ÖØ-öø-ɏ"
_LOCAL = rf"[{_LETTERS}_%+'-]+(?:\.[{_LETTERS}_%+'-]+)*"
# Only ASCII letters may end a host: an address directly followed by Chinese
# or Korean text ("jane@example.com谢谢") still ends at ".com".
PLAIN = re.compile(
    rf"(?<![{_LETTERS}._%+-]){_LOCAL}\s?@\s?(?:[{_LETTERS}-]+\.)+[A-Za-z]{{2,}}(?![A-Za-z0-9])"
)


def _alternatives(words: list[str]) -> str:
    # Latin words must stand alone ("at" is not inside "that"); CJK and Hangul
    # words are written against their neighbours.
    parts = []
    for word in sorted(map(str, words), key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s")
        latin = word[0].isascii() or "À" <= word[0] <= "ɏ" or "Ѐ" <= word[0] <= "ӿ"
        parts.append(rf"(?<![^\W\d_]){escaped}(?![^\W\d_])" if latin else escaped)
    return "|".join(parts)


@cache
def _written_out() -> re.Pattern[str]:
    words = vocabulary()
    at = _alternatives(words["at_words"])
    dot = _alternatives(words["dot_words"])
    label = rf"[{_LETTERS}_%+-]+"
    at_sign = rf"(?:\s*[(\[{{<]\s*(?P<bracketed>{at}|@)\s*[)\]}}>]\s*|\s*(?P<word>{at})\s*|\s?@\s?)"
    # Each way of writing a sign is matched one way only: alternatives that
    # overlap ("\s+dot\s+" beside "\s*dot\s*") make a failed search exponential.
    dot_sign = rf"(?:\s*[(\[{{<]\s*(?:{dot}|\.)\s*[)\]}}>]\s*|\s*(?:{dot})\s*|\s?\.\s?)"
    return re.compile(
        rf"(?<![{_LETTERS}._%+-])(?P<local>{label}(?:{dot_sign}{label})*){at_sign}"
        rf"(?P<host>{label})(?P<rest>(?:{dot_sign}{label})+)",
        re.IGNORECASE,
    )


def _plausible(match: re.Match[str]) -> bool:
    """A written-out address must end in a real top-level domain; "at" alone needs more."""
    words = vocabulary()
    tld = re.split(r"[^A-Za-z0-9]+", match.group("rest").strip())[-1].casefold()
    if tld not in words["tlds"]:
        return False
    everyday = (match.group("word") or "").casefold() in words["everyday_at_words"]
    if not everyday:
        return True
    # "chat at 988lifeline.org" is a web address, not a mailbox: with a plain
    # "at", the host must be a mail provider or the dot must be written out.
    spelled_dot = "." not in match.group("rest")
    return spelled_dot or match.group("host").casefold() in words["mail_hosts"]


def find(text: str) -> Iterator[tuple[int, int]]:
    """Spans of e-mail addresses in normalized text, written out or not."""
    for match in PLAIN.finditer(text):
        yield match.span()
    # An implausible reading ("me at mike dot t") must not hide a plausible one
    # starting inside it ("mike dot t at yahoo dot com"): search on from the
    # next character, not from its end.
    pattern, position = _written_out(), 0
    while match := pattern.search(text, position):
        if _plausible(match):
            yield match.span()
            position = match.end()
        else:
            position = match.start() + 1
