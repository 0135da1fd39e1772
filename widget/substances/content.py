"""Load the substance content files, check them against the schema and each other."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft202012Validator

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")
DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "substances"
SECTION_KEYS = ("what_it_is", "addictive", "effects", "risks", "withdrawal", "treatment")
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
)
CITATION = re.compile(r"\[@([a-z0-9]+(?:-[a-z0-9]+)*)\]")
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


@dataclass(frozen=True)
class Source:
    """A cited publication of an authoritative public body."""

    id: str
    publisher: str
    title: str
    url: str


@dataclass(frozen=True)
class Summary:
    """One substance in one locale, as written in its content file."""

    slug: str
    locale: str
    name: str
    other_names: tuple[str, ...]
    summary: str
    last_reviewed: dt.date
    review_status: str
    review_note: str
    sections: dict[str, str]
    sources: dict[str, Source]
    path: Path


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


def _host_allowed(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.port not in (None, 443):
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in ALLOWED_SOURCE_HOSTS)


def _check_body(body: str, path: Path, key: str, sources: dict[str, Source]) -> None:
    for what, pattern in FORBIDDEN_MARKDOWN.items():
        if pattern.search(CITATION.sub("", body)):
            raise ContentError(f"{path}: field 'sections.{key}': contains {what}")
    cited = CITATION.findall(body)
    if not cited:
        raise ContentError(f"{path}: field 'sections.{key}': cites no source")
    for source_id in cited:
        if source_id not in sources:
            raise ContentError(f"{path}: field 'sections.{key}': unknown source '{source_id}'")


def _summary(data: dict, slug: str, locale: str, path: Path) -> Summary:
    if data["locale"] != locale:
        raise ContentError(f"{path}: field 'locale': is {data['locale']!r}, file says {locale!r}")
    sources = {}
    for index, raw in enumerate(data["sources"]):
        source = Source(**raw)
        if source.id in sources:
            raise ContentError(f"{path}: field 'sources.{index}.id': '{source.id}' is repeated")
        if not _host_allowed(source.url):
            raise ContentError(f"{path}: field 'sources.{index}.url': not an allowed publisher")
        sources[source.id] = source
    for key in SECTION_KEYS:
        _check_body(data["sections"][key], path, key, sources)
    used = {source_id for body in data["sections"].values() for source_id in CITATION.findall(body)}
    for index, source_id in enumerate(sources):
        if source_id not in used:
            raise ContentError(f"{path}: field 'sources.{index}': '{source_id}' is never cited")
    return Summary(
        slug=slug,
        locale=locale,
        name=data["name"],
        other_names=tuple(data["other_names"]),
        summary=data["summary"],
        last_reviewed=dt.date.fromisoformat(data["last_reviewed"]),
        review_status=data["review"]["status"],
        review_note=data["review"]["note"],
        sections={key: data["sections"][key] for key in SECTION_KEYS},
        sources=sources,
        path=path,
    )


def slugify(text: str) -> str:
    """Fold a name or address part into slug form: 'Cocaína' → 'cocaina'."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", folded.casefold()).strip("-")


def load_substances(content_dir: Path, locales: tuple[str, ...]) -> dict[str, Substance]:
    """Every substance under content_dir, checked; raises ContentError on the first problem."""
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
                data = _read(path)
                if isinstance(data, dict) and isinstance(data.get("last_reviewed"), dt.date):
                    # YAML reads an unquoted 2026-11-21 as a date already.
                    data["last_reviewed"] = data["last_reviewed"].isoformat()
                _validate(schemas["summary"], data, path)
                summaries[locale] = _summary(data, folder.name, locale, path)
        if "en" not in summaries:
            raise ContentError(f"{folder}: no en.yaml: English is the fallback for every locale")
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
