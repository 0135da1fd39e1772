"""What the loader refuses in a content file besides the schema: the rules of the format.

Each rule raises ContentError naming the file and the field, so a writer
sees at once what to fix (docs/content.md, "Rules for writers", describes the format).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

if TYPE_CHECKING:
    from widget.substances.content import Source, Summary

# Only authoritative public bodies may be cited (hosts and their subdomains).
ALLOWED_SOURCE_HOSTS = (
    "nida.nih.gov",
    "niaaa.nih.gov",
    "nih.gov",
    "medlineplus.gov",
    "samhsa.gov",
    "cdc.gov",
    "fda.gov",
    "dea.gov",
    "who.int",
    # Legal status (Federal Register), quitlines, crisis and poison lines.
    "federalregister.gov",
    "smokefree.gov",
    "cancer.gov",
    "hhs.gov",
    "hrsa.gov",
    "va.gov",
    "988lifeline.org",
    "veteranscrisisline.net",
)
CITATION = re.compile(r"\[@([a-z0-9]+(?:-[a-z0-9]+)*)\]")
# A word kept in another language, {{en:Narcan}}, or another name of a
# substance, {{name:ketum}}: marked so a screen reader picks the right voice.
TERM = re.compile(r"\{\{([a-z]{2,4}):([^{}\n]*)\}\}")
# The languages a term may be marked in (besides "name", which has none).
TERM_LANGUAGES = frozenset({"en", "es", "la"})
# Scripts other than Latin: in these, every Latin letter a reader meets must
# be marked (or be a citation, a contact reference or a contact's keyword).
NON_LATIN_LOCALES = frozenset({"ar", "ko", "ru", "zh-Hans", "zh-Hant"})
ENGLISH_TERMS_FILE = Path(__file__).resolve().parent.parent / "content" / "english-terms.yaml"
_WORD_PART = r"(?:\d+-?)?[A-Za-z\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f.'’-]*[A-Za-z0-9])?"
# Roman numerals count as numbers ("Список III"): I, V and X, two or more.
_ROMAN = re.compile(r"(?<![\w-])(?=[IVX]{2})X{0,3}(?:IX|IV|V?I{0,3})(?![\w-])")
# A run of Latin words ("contingency management", "Tango & Cash", "7-OH").
_LATIN_WORD = re.compile(rf"{_WORD_PART}(?: (?:& )?{_WORD_PART})*")
# The fields of a content file a visitor reads, besides other_names.
READ_FIELDS = ("name", "summary", "emergency")
# A phone number or short code is written as a reference to helplines.yaml.
CONTACT = re.compile(r"\{\{contact:([a-z0-9]+(?:-[a-z0-9]+)*)\}\}")
# What a phone number or short code looks like when written out instead of
# referenced ("988lifeline.org" is an address, not a number).
PHONE_LITERAL = re.compile(
    r"(?<![\w/.])(?:1[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ][0-9A-Z]{4}(?!\w)"
    # Keypad words (1-800-QUIT-NOW) and short codes: 911, 988, SMS codes of five
    # or six digits (435748, 838255, 47848).
    r"|(?<![\w/.])1-8\d\d-[A-Z]"
    r"|(?<![\w/.,])(?:911|988|\d{5,6})(?![\w,])"
    r"|222-1222"
)
# What the loader refuses in a body instead of silently dropping it.
FORBIDDEN_MARKDOWN = {
    "a heading": re.compile(r"^\s{0,3}#", re.M),
    "raw HTML": re.compile(r"<[A-Za-z!/?]"),
    "a link": re.compile(r"\]\(|<https?:|https?://"),
    "an image": re.compile(r"!\["),
    "a table": re.compile(r"^\s*\|", re.M),
}


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the field."""


def host_allowed(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.port not in (None, 443):
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in ALLOWED_SOURCE_HOSTS)


def check_body(
    body: str, path: Path, key: str, sources: dict[str, Source], contacts: Collection[str] | None
) -> None:
    for what, pattern in FORBIDDEN_MARKDOWN.items():
        if pattern.search(CONTACT.sub("", CITATION.sub("", body))):
            raise ContentError(f"{path}: field '{key}': contains {what}")
    cited = CITATION.findall(body)
    if not cited:
        raise ContentError(f"{path}: field '{key}': cites no source")
    for source_id in cited:
        if source_id not in sources:
            raise ContentError(f"{path}: field '{key}': unknown source '{source_id}'")
    if contacts is not None:
        for contact_id in CONTACT.findall(body):
            if contact_id not in contacts:
                raise ContentError(
                    f"{path}: field '{key}': unknown contact '{contact_id}' "
                    "(not an id in helplines.yaml)"
                )


def _strings(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "url":  # addresses may hold digits that are not numbers
                yield from _strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{where}.{index}")
    elif isinstance(node, str):
        yield where, node


def check_no_literal_numbers(data: dict, path: Path) -> None:
    # One source for every number: a number typed into content would not
    # change when helplines.yaml does.
    for where, text in _strings(data, ""):
        match = PHONE_LITERAL.search(CONTACT.sub("", text))
        if match:
            raise ContentError(
                f"{path}: field '{where}': the number '{match.group(0)}' is written out; "
                "refer to it as {{contact:ID}} (ids in widget/helpline/helplines.yaml)"
            )


def _shape(summary: Summary) -> dict[str, int]:
    bodies = {"emergency": summary.emergency, **summary.sections}
    return {key: len(CITATION.findall(body)) for key, body in bodies.items()}


def check_matches_english(summary: Summary, english: Summary) -> None:
    # A translation says what the English says: the same citations per
    # section and the same contact references (issue 17 pairs them up).
    if summary is english:
        return
    if _shape(summary) != _shape(english):
        raise ContentError(
            f"{summary.path}: citations per section {_shape(summary)} differ from "
            f"the English file's {_shape(english)}"
        )
    if sorted(summary.contact_refs) != sorted(english.contact_refs):
        raise ContentError(
            f"{summary.path}: contact references {sorted(summary.contact_refs)} differ from "
            f"the English file's {sorted(english.contact_refs)}"
        )


@functools.cache
def english_terms() -> tuple[str, ...]:
    """The English terms a Latin-script translation must mark, longest first."""
    data = yaml.safe_load(ENGLISH_TERMS_FILE.read_text(encoding="utf-8"))
    return tuple(sorted(data["terms"], key=len, reverse=True))


def plain(text: str) -> str:
    """The words a reader meets, without the marks: '{{en:Narcan}}' → 'Narcan'."""
    return TERM.sub(lambda m: m.group(2), text)


def read_fields(data: dict) -> Iterator[tuple[str, str]]:
    """Each field of a content file a visitor reads, by its name in the file."""
    for key in READ_FIELDS:
        yield key, data[key]
    for key, body in data["sections"].items():
        yield f"sections.{key}", body


def _word(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])")


def check_terms(data: dict, path: Path, locale: str, keywords: Collection[str] = ()) -> None:
    """Terms are marked well, and no foreign word a reader meets is left unmarked.

    keywords: the words of helplines.yaml that come with a contact (AYUDA,
    QUIT, HELP4U), which the renderer marks by itself."""
    for key, text in read_fields(data):
        for match in TERM.finditer(text):
            kind, term = match.groups()
            where = f"{path}: field '{key}': '{match.group(0)}'"
            if kind != "name" and kind not in TERM_LANGUAGES:
                raise ContentError(
                    f"{where}: '{kind}' is neither 'name' nor one of the languages "
                    f"{', '.join(sorted(TERM_LANGUAGES))}"
                )
            if not term.strip() or term != term.strip():
                raise ContentError(f"{where}: the term is empty or begins or ends with a space")
            if kind == locale:
                raise ContentError(f"{where}: this file is in '{locale}' already; write {term}")
        rest = TERM.sub(" ", CONTACT.sub(" ", CITATION.sub(" ", text)))
        if "{{" in rest or "}}" in rest:
            raise ContentError(
                f"{path}: field '{key}': double braces that are none of "
                "{{en:…}}, {{name:…}}, {{contact:…}}"
            )
        for keyword in keywords:
            rest = _word(keyword).sub(" ", rest)
        if locale in NON_LATIN_LOCALES:
            match = _LATIN_WORD.search(_ROMAN.sub(" ", rest))
            if match:
                word = match.group(0)
                raise ContentError(
                    f"{path}: field '{key}': '{word}' is in Latin letters but not marked: "
                    f"write {{{{en:{word}}}}} for an English term, or {{{{name:{word}}}}} "
                    "for another name of a substance"
                )
        elif locale != "en":
            for term in english_terms():
                if _word(term).search(rest):
                    raise ContentError(
                        f"{path}: field '{key}': '{term}' is an English term "
                        f"(widget/content/english-terms.yaml) but not marked: "
                        f"write {{{{en:{term}}}}}"
                    )
