"""Per-language glossaries: the words a translation uses for key ideas, and the words it avoids.

One file per language, `widget/content/glossary/<locale>.yaml`:

    locale: vi
    review: awaiting-native-speaker-review
    use: {misuse: "...", substance use disorder: "...", ...}
    avoid:
      - term: "lạm dụng"
        why: "..."
        match: substring        # optional: word, prefix or substring
    proper_names: ["..."]       # optional: official names quoted as they are

Tests check every content file and catalogue of a language against its
`avoid` list; translators read the `use` list before they write.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

GLOSSARY_DIR = Path(__file__).resolve().parent / "content" / "glossary"
CONCEPTS = ("misuse", "substance use disorder", "withdrawal", "overdose", "naloxone")
MATCHES = ("word", "prefix", "substring")

# Scripts that write words without spaces (Han) or attach particles and
# clitics to them (Hangul, Arabic): a term is found anywhere in the text.
_JOINED_SCRIPT = re.compile(r"[\u0600-\u06ff\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Avoid:
    """A word not to use, why not, and how to find it in running text."""

    term: str
    why: str
    match: str

    def pattern(self) -> re.Pattern[str]:
        """The term as a case-insensitive pattern over normalized text."""
        core = re.escape(normalize(self.term))
        if self.match == "substring":
            return re.compile(core)
        if self.match == "prefix":  # a stem: inflected endings are found too
            return re.compile(rf"(?<!\w){core}")
        return re.compile(rf"(?<!\w){core}(?!\w)")


@dataclass(frozen=True)
class Glossary:
    """One language's glossary file."""

    locale: str
    review: str
    use: dict[str, str]
    avoid: tuple[Avoid, ...]
    proper_names: tuple[str, ...]
    path: Path

    def hits(self, text: str) -> list[str]:
        """The avoided terms found in a text, after removing quoted official names."""
        text = normalize(text)
        for name in self.proper_names:
            text = text.replace(normalize(name), " ")
        return [a.term for a in self.avoid if a.pattern().search(text)]


def normalize(text: str) -> str:
    """NFC and case-folded, so that composed and decomposed Vietnamese match."""
    return unicodedata.normalize("NFC", text).casefold()


def load_glossary(path: Path) -> Glossary:
    """Read one glossary file; a missing field or unknown match raises ValueError."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [c for c in CONCEPTS if not str(data.get("use", {}).get(c, "")).strip()]
    if missing:
        raise ValueError(f"{path}: no word to use for {missing}")
    avoid = []
    for entry in data.get("avoid") or []:
        term = str(entry["term"]).strip()
        default = "substring" if _JOINED_SCRIPT.search(term) else "word"
        match = entry.get("match", default)
        if match not in MATCHES or not str(entry.get("why", "")).strip():
            raise ValueError(f"{path}: avoid {term!r} needs a why and a match in {MATCHES}")
        avoid.append(Avoid(term, entry["why"], match))
    return Glossary(
        locale=data["locale"],
        review=data["review"],
        use={str(k): str(v) for k, v in data["use"].items()},
        avoid=tuple(avoid),
        proper_names=tuple(data.get("proper_names") or ()),
        path=path,
    )


def load_glossaries(directory: Path = GLOSSARY_DIR) -> dict[str, Glossary]:
    """Every glossary file, by locale tag."""
    glossaries = {}
    for path in sorted(directory.glob("*.yaml")):
        glossary = load_glossary(path)
        if glossary.locale != path.stem:
            raise ValueError(f"{path}: locale {glossary.locale!r} differs from the file name")
        glossaries[glossary.locale] = glossary
    return glossaries
