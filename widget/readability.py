"""Readability figures for a summary in any of our languages.

Spanish has a tested formula (Fernández-Huerta, in textstat). For the other
languages we have no validated formula, so we measure what we can: sentence
length, in characters for Chinese (no spaces between words) and in words
for the rest. Long sentences are the first thing that loses a reader in
crisis or reading in a second language.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from widget.substances.content import CITATION, CONTACT, SECTION_KEYS
from widget.substances.rules import plain

CHARACTER_LOCALES = frozenset({"zh-Hans", "zh-Hant"})

_HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
_CHARACTER = re.compile(rf"{_HAN}|[^\W\d_]+|\d+")  # one Han character, or one Latin word
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A sentence ends at . ! ? (and their CJK and Arabic forms) before a space or the end.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？؟])\s*")


@dataclass(frozen=True)
class Readability:
    """Sentence-length figures for one text, with the unit they are counted in."""

    unit: str  # "characters" or "words"
    sentences: int
    mean: float
    longest: int


def reading_text(summary) -> str:
    """What a visitor reads of a summary: its line, the callout and the six sections."""
    parts = [summary.summary, summary.emergency, *(summary.sections[k] for k in SECTION_KEYS)]
    text = plain("\n".join(parts))  # {{en:Narcan}} reads "Narcan"
    text = CITATION.sub("", text)
    text = CONTACT.sub("0", text)  # a phone number reads as one word
    return re.sub(r"\*\*|^\s*[-*]\s+", "", text, flags=re.M)


def sentences(text: str) -> list[str]:
    """Sentences and list items: every line is a unit, split again at sentence ends."""
    units = []
    for line in text.splitlines():
        units.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return units


def sentence_length(sentence: str, locale: str) -> int:
    """Characters of a Chinese sentence (a Latin word counts as one), words of the others."""
    if locale in CHARACTER_LOCALES:
        return len(_CHARACTER.findall(sentence))
    return len(_WORD.findall(sentence))


def measure(summary) -> Readability:
    """Sentence-length figures for one summary in its own language."""
    lengths = [sentence_length(s, summary.locale) for s in sentences(reading_text(summary))]
    lengths = [n for n in lengths if n]
    unit = "characters" if summary.locale in CHARACTER_LOCALES else "words"
    return Readability(unit, len(lengths), statistics.fmean(lengths), max(lengths))


def fernandez_huerta(text: str) -> float | None:
    """Fernández-Huerta score of a Spanish text (higher is easier), or None without textstat."""
    try:
        from textstat.textstat import textstatistics
    except ImportError:  # textstat is a test dependency; the command still runs without it
        return None
    spanish = textstatistics()
    spanish.set_lang("es")
    return spanish.fernandez_huerta(text)
