"""Normalize a comment for matching, and map every match back to what the visitor typed.

Matching runs on a normalized copy of the comment: NFKC (full-width "＠" and
digits become ASCII), every Unicode decimal digit (Arabic-Indic, Devanagari…)
becomes 0-9, dash look-alikes become "-", and a run of digits spelled out in
words ("five five five…", "공일공…") or typed one by one ("5 5 5 1 2 3 4")
becomes one digit string. Each normalized character remembers the span of the
original it came from, so a placeholder replaces exactly what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

WORDS_FILE = Path(__file__).with_name("words.yaml")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹣"), "-")
# A spelled run turns into digits only when it is this long: shorter runs are
# counts and ages ("one or two", "tres o cuatro veces").
_MIN_RUN_DIGITS = 7


@cache
def vocabulary() -> dict:
    """The word lists of words.yaml, read once."""
    with WORDS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class Normalized:
    """A normalized comment and, per character, the original span it came from."""

    text: str
    origin: tuple[tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original comment that normalized [start, end) came from."""
        return self.origin[start][0], self.origin[end - 1][1]


def _normalize_char(char: str) -> str:
    if char < "\x80":
        return char
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    return unicodedata.normalize("NFKC", char).translate(_DASHES)


@cache
def _digit_runs() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    words = vocabulary()
    value: dict[str, str] = {}
    for key in ("digits", "cjk_digits"):
        for digit, names in words[key].items():
            value.update({str(name).casefold(): str(digit) for name in names})
    spelled = "|".join(
        re.escape(w) for w in sorted(value, key=len, reverse=True) if w.isascii() or len(w) > 1
    )
    single = [w for w in value if len(w) == 1 and not w.isascii()]
    hangul = "".join(w for w in single if "가" <= w <= "힣")
    hanzi = "".join(w for w in single if not "가" <= w <= "힣")
    # A word counts only as a whole word: Latin, Cyrillic, Arabic and
    # Vietnamese words between non-letters, a Korean word only when every
    # syllable of it is a digit ("공일공", not the "이" of "이에요"); Chinese
    # digits are written back to back with other characters.
    token = (
        rf"(?:\d+|(?<![^\W\d_])(?:{spelled})(?![^\W\d_])"
        rf"|(?<![가-힣])[{hangul}]+(?![가-힣])|[{hanzi}])"
    )
    run = rf"{token}(?:[ ,.\-]{{0,3}}{token})+"
    return re.compile(run, re.IGNORECASE), re.compile(token, re.IGNORECASE), value


def _run_digits(run: re.Match[str]) -> list[tuple[str, int, int]] | None:
    """The digits of a run, each with the span it came from; None keeps the run as typed.

    Digit groups alone ("612 34 56 78") stay as typed, for the phone matcher
    reads them; a run of spelled digits, or of single digits spaced out,
    becomes one digit string. Spelled and typed digits are not mixed: in
    "회사 031-123-4567" the "사" (four) is the end of a word.
    """
    _, token, value = _digit_runs()
    tokens = list(token.finditer(run.string, run.start(), run.end()))
    typed = sum(t.group().isdigit() for t in tokens)
    if typed == len(tokens) and not all(len(t.group()) == 1 for t in tokens):
        return None
    if 0 < typed < len(tokens):
        return None
    pieces: list[tuple[str, int, int]] = []
    for t in tokens:
        word = t.group().casefold()
        if word.isdigit() or "가" <= word[0] <= "힣":
            pieces += [
                (value.get(c, c), t.start() + i, t.start() + i + 1) for i, c in enumerate(word)
            ]
        else:
            pieces.append((value[word], t.start(), t.end()))
    return pieces if len(pieces) >= _MIN_RUN_DIGITS else None


def normalize(comment: str) -> Normalized:
    """Normalize ``comment`` for matching; see the module docstring."""
    chars: list[str] = []
    origin: list[tuple[int, int]] = []
    for index, char in enumerate(comment):
        for out in _normalize_char(char):
            chars.append(out)
            origin.append((index, index + 1))
    text = "".join(chars)
    pattern = _digit_runs()[0]
    out_chars: list[str] = []
    out_origin: list[tuple[int, int]] = []
    kept = 0
    for match in pattern.finditer(text):
        pieces = _run_digits(match)
        if pieces is None:
            continue
        out_chars += chars[kept : match.start()]
        out_origin += origin[kept : match.start()]
        for digit, start, end in pieces:
            out_chars.append(digit)
            out_origin.append((origin[start][0], origin[end - 1][1]))
        kept = match.end()
    out_chars += chars[kept:]
    out_origin += origin[kept:]
    return Normalized("".join(out_chars), tuple(out_origin))
