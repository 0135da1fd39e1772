"""What the loader refuses in a content file besides the schema: the rules of the format.

Each rule raises ContentError naming the file and the field, so a writer
sees at once what to fix (README.md, "Write substance content", describes the format).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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
