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
from collections.abc import Iterator
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
def _digit_values() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Spelled digits: whole words, Korean syllables and Chinese characters, each to its digit."""
    words: dict[str, str] = {}
    hangul: dict[str, str] = {}
    hanzi: dict[str, str] = {}
    vocab = vocabulary()
    for digit, names in vocab["digits"].items():
        words.update({str(name).casefold(): str(digit) for name in names})
    for digit, names in vocab["cjk_digits"].items():
        for name in map(str, names):
            (hangul if "가" <= name <= "힣" else hanzi)[name] = str(digit)
    return words, hangul, hanzi


_WORD = re.compile(r"\d+|[^\W\d_]+")
_GAP = re.compile(r"[ ,.\-]{0,3}")

Token = tuple[int, int, str, bool]  # start, end, digits ("" for another word), typed


def _tokens(text: str) -> Iterator[Token]:
    """Digit groups, spelled digits and other words, in order.

    A Latin, Cyrillic, Arabic or Vietnamese word is a digit only as a whole
    word; a Korean word only when every syllable is a digit ("공일공", not the
    "이" of "이에요"); Chinese digits stand among other characters.
    """
    words, hangul, hanzi = _digit_values()
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if word.isdigit():
            yield start, match.end(), word, True
        elif word.casefold() in words:
            yield start, match.end(), words[word.casefold()], False
        elif all(char in hangul for char in word):
            yield from ((start + i, start + i + 1, hangul[c], False) for i, c in enumerate(word))
        elif any(char in hanzi for char in word):
            for i, char in enumerate(word):
                yield start + i, start + i + 1, hanzi.get(char, ""), False
        else:
            yield start, match.end(), "", False


def _runs(text: str) -> Iterator[list[Token]]:
    """Tokens that follow each other with at most a short separator between them."""
    run: list[Token] = []
    for token in _tokens(text):
        if not token[2]:
            yield run
            run = []
            continue
        if run and not _GAP.fullmatch(text, run[-1][1], token[0]):
            yield run
            run = []
        run.append(token)
    yield run


def _run_digits(run: list[Token]) -> list[tuple[str, int, int]] | None:
    """The digits of a run, each with the span it came from; None keeps the run as typed.

    Digit groups alone ("612 34 56 78") stay as typed, for the phone matcher
    reads them; a run of spelled digits, or of single digits spaced out,
    becomes one digit string.
    """
    typed = sum(token[3] for token in run)
    if typed == len(run) and not all(end - start == 1 for start, end, _, _ in run):
        return None
    # Mixed runs ("212 five five five 0147") need two spelled words, and never
    # a lone Korean or Chinese digit ("회사 031-…": the "사" ends a word).
    spelled = [t for t in run if not t[3]]
    if 0 < typed < len(run) and (
        len(spelled) < 2 or any(end - start == 1 for start, end, _, _ in spelled)
    ):
        return None
    pieces: list[tuple[str, int, int]] = []
    for start, end, digits, _ in run:
        if len(digits) == 1:
            pieces.append((digits, start, end))
        else:  # a typed group: each digit keeps its own place
            pieces += [(d, start + i, start + i + 1) for i, d in enumerate(digits)]
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
    out_chars: list[str] = []
    out_origin: list[tuple[int, int]] = []
    kept = 0
    for run in _runs(text):
        pieces = _run_digits(run) if len(run) >= _MIN_RUN_DIGITS or _long(run) else None
        if pieces is None:
            continue
        out_chars += chars[kept : run[0][0]]
        out_origin += origin[kept : run[0][0]]
        for digit, start, end in pieces:
            out_chars.append(digit)
            out_origin.append((origin[start][0], origin[end - 1][1]))
        kept = run[-1][1]
    out_chars += chars[kept:]
    out_origin += origin[kept:]
    return Normalized("".join(out_chars), tuple(out_origin))


def _long(run: list[Token]) -> bool:
    return sum(len(token[2]) for token in run) >= _MIN_RUN_DIGITS
