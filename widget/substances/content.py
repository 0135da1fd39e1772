"""Load the substance content files, check them against the schema and each other."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from widget.substances.rules import (
    CITATION,
    CONTACT,
    TERM,
    ContentError,
    check_body,
    check_matches_english,
    check_no_literal_numbers,
    check_terms,
    host_allowed,
    plain,
)

__all__ = ["CITATION", "CONTACT", "ContentError", "load_substances", "slugify"]

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")
DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "substances"
SECTION_KEYS = ("what_it_is", "addictive", "effects", "risks", "withdrawal", "treatment")


@dataclass(frozen=True)
class Source:
    """A cited publication of an authoritative public body."""

    id: str
    publisher: str
    title: str
    url: str
    lang: str = ""  # the language the cited page is written in (unset: English)


@dataclass(frozen=True)
class Check:
    """A fact that can hurt if wrong, the source it was checked against, and when."""

    fact: str
    source: str
    checked: dt.date


@dataclass(frozen=True)
class Summary:
    """One substance in one locale, as written in its content file."""

    slug: str
    locale: str
    name: str
    other_names: tuple[str, ...]
    summary: str
    last_updated: dt.date
    review_status: str
    review_note: str
    emergency: str
    sections: dict[str, str]
    sources: dict[str, Source]
    path: Path
    checks: tuple[Check, ...] = ()
    reviewed_on: dt.date | None = None
    reviewed_by: str = ""
    # Contact ids referred to, in order of appearance (emergency, then sections).
    contact_refs: tuple[str, ...] = ()
    # The name as written, with its marked terms; `name` is the plain text.
    name_markup: str = ""


@dataclass(frozen=True)
class Substance:
    """A substance with its aliases and every locale it is written in."""

    slug: str
    aliases: tuple[str, ...]
    summaries: dict[str, Summary]


def _schemas() -> dict[str, Draft202012Validator]:
    document = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    defs = document.pop("$defs")
    return {
        name: Draft202012Validator({**schema, "$defs": defs}) for name, schema in document.items()
    }


def _dates_as_text(node: Any) -> Any:
    # YAML reads an unquoted 2026-11-21 as a date already; the schema checks text.
    if isinstance(node, dict):
        return {key: _dates_as_text(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_dates_as_text(value) for value in node]
    return node.isoformat() if isinstance(node, dt.date) else node


def _field(path: Any) -> str:
    return ".".join(str(part) for part in path) or "(top level)"


def _validate(validator: Draft202012Validator, data: Any, path: Path) -> None:
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    if errors:
        error = errors[0]
        raise ContentError(f"{path}: field '{_field(error.absolute_path)}': {error.message}")


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: missing") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from None


def _sources(data: dict, path: Path) -> dict[str, Source]:
    sources = {}
    for index, raw in enumerate(data["sources"]):
        source = Source(**raw)
        if source.id in sources:
            raise ContentError(f"{path}: field 'sources.{index}.id': '{source.id}' is repeated")
        if not host_allowed(source.url):
            raise ContentError(f"{path}: field 'sources.{index}.url': not an allowed publisher")
        sources[source.id] = source
    return sources


def _checks(data: dict, path: Path, sources: dict[str, Source]) -> tuple[Check, ...]:
    checks = []
    for index, raw in enumerate(data.get("checks") or ()):
        if raw["source"] not in sources:
            raise ContentError(
                f"{path}: field 'checks.{index}.source': '{raw['source']}' is not a source id"
            )
        checks.append(Check(raw["fact"], raw["source"], _date(raw["checked"])))
    return tuple(checks)


def _date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _without_marks(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    plain_data = dict(data)
    for key in ("name", "summary"):
        if isinstance(plain_data.get(key), str):
            plain_data[key] = plain(plain_data[key])
    return plain_data


def _plain_name(name: str) -> str:
    # Where a name is plain text (a page title, a menu), each marked term is
    # isolated by FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE instead.
    return TERM.sub(lambda m: f"\u2068{m.group(2)}\u2069", name)


def _summary(
    data: dict,
    slug: str,
    locale: str,
    path: Path,
    contacts: Collection[str] | None,
    keywords: Collection[str] = (),
) -> Summary:
    if data["locale"] != locale:
        raise ContentError(f"{path}: field 'locale': is {data['locale']!r}, file says {locale!r}")
    sources = _sources(data, path)
    bodies = {"emergency": data["emergency"]}
    bodies.update({f"sections.{key}": data["sections"][key] for key in SECTION_KEYS})
    check_no_literal_numbers(data, path)
    check_terms(data, path, locale, keywords)
    for key, body in bodies.items():
        check_body(body, path, key, sources, contacts)
    used = {source_id for body in bodies.values() for source_id in CITATION.findall(body)}
    for index, source_id in enumerate(sources):
        if source_id not in used:
            raise ContentError(f"{path}: field 'sources.{index}': '{source_id}' is never cited")
    review = data["review"]
    return Summary(
        slug=slug,
        locale=locale,
        name=_plain_name(data["name"]),
        name_markup=data["name"],
        other_names=tuple(data["other_names"]),
        summary=data["summary"],
        last_updated=_date(data["last_updated"]),
        review_status=review["status"],
        review_note=review["note"],
        emergency=data["emergency"],
        sections={key: data["sections"][key] for key in SECTION_KEYS},
        sources=sources,
        path=path,
        checks=_checks(data, path, sources),
        reviewed_on=_date(review["reviewed_on"]) if "reviewed_on" in review else None,
        reviewed_by=review.get("reviewed_by", ""),
        contact_refs=tuple(ref for body in bodies.values() for ref in CONTACT.findall(body)),
    )


def contact_keywords() -> frozenset[str]:
    """The words a contact brings (an SMS keyword, keypad letters); the renderer marks them."""
    from widget.helpline.facts import load_contacts

    words = set()
    for contact in load_contacts().values():
        words.update(word for word in (contact.body, contact.mnemonic) if word)
    return frozenset(words)


def slugify(text: str) -> str:
    """Fold a name or address part into slug form: 'Cocaína' → 'cocaina'."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", folded.casefold()).strip("-")


def load_substances(
    content_dir: Path,
    locales: tuple[str, ...],
    contacts: Collection[str] | None = None,
    keywords: Collection[str] | None = None,
) -> dict[str, Substance]:
    """Every substance under content_dir, checked; raises ContentError on the first problem.

    contacts: the contact ids of helplines.yaml that {{contact:ID}} may name
    (None skips that check). keywords: the words that come with a contact
    (AYUDA, QUIT), which content may write unmarked; None: those of
    helplines.yaml."""
    if keywords is None:
        keywords = contact_keywords()
    schemas = _schemas()
    substances: dict[str, Substance] = {}
    if not content_dir.is_dir():
        raise ContentError(f"{content_dir}: no content folder")
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        meta_path = folder / "meta.yaml"
        meta = _read(meta_path)
        _validate(schemas["meta"], meta, meta_path)
        if meta["slug"] != folder.name:
            raise ContentError(
                f"{meta_path}: field 'slug': must be the folder name {folder.name!r}"
            )
        summaries = {}
        for locale in locales:
            path = folder / f"{locale}.yaml"
            if path.exists():
                data = _dates_as_text(_read(path))
                # Lengths count what a reader sees: {{en:FDA}} is three letters.
                _validate(schemas["summary"], _without_marks(data), path)
                summaries[locale] = _summary(data, folder.name, locale, path, contacts, keywords)
        if "en" not in summaries:
            raise ContentError(f"{folder}: no en.yaml: English is the fallback for every locale")
        for summary in summaries.values():
            check_matches_english(summary, summaries["en"])
        substances[folder.name] = Substance(folder.name, tuple(meta["aliases"]), summaries)
    _check_aliases(substances)
    return substances


def _check_aliases(substances: dict[str, Substance]) -> None:
    seen: dict[str, str] = {slug: slug for slug in substances}
    for substance in substances.values():
        for index, alias in enumerate(substance.aliases):
            owner = seen.setdefault(alias, substance.slug)
            if owner != substance.slug or alias == substance.slug:
                path = substance.summaries["en"].path.with_name("meta.yaml")
                raise ContentError(
                    f"{path}: field 'aliases.{index}': '{alias}' already names '{owner}'"
                )
