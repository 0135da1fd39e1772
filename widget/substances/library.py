"""The loaded substances, and how a requested address finds one of them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app

from widget import sources
from widget.helpline.facts import load_contacts, require_contacts
from widget.substances.content import (
    DEFAULT_CONTENT_DIR,
    Substance,
    Summary,
    load_substances,
    slugify,
)


def native_key(name: str) -> str:
    """A lookup key that keeps non-Latin scripts: 'Кратом' → 'кратом', '氯胺酮' stays."""
    return "-".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class Library:
    """Every substance, with a lookup from aliases and localized names to slugs."""

    substances: dict[str, Substance]
    lookup: dict[str, str]

    def resolve(self, requested: str) -> str | None:
        """The slug an address part names (slug, alias or a name in any language)."""
        requested = requested[:200]
        return self.lookup.get(slugify(requested)) or self.lookup.get(native_key(requested))

    def summaries_of(self, slug: str) -> dict[str, Summary]:
        """Every written locale of one substance."""
        return self.substances[slug].summaries

    def summary(self, slug: str, locale: str) -> tuple[Summary, bool]:
        """The summary in the locale, or the English one; True when it fell back."""
        summaries = self.substances[slug].summaries
        if locale in summaries:
            return summaries[locale], False
        return summaries["en"], True


def build_library(
    content_dir: Path, locales: tuple[str, ...], contacts: frozenset[str] | None = None
) -> Library:
    """Load and check the content; build the lookup of every name people may use."""
    substances = load_substances(content_dir, locales, contacts)
    require_contacts(
        ref
        for substance in substances.values()
        for summary in substance.summaries.values()
        for ref in summary.contact_refs
    )
    lookup: dict[str, str] = {}
    for slug, substance in substances.items():
        names = [slug, *substance.aliases]
        names += [summary.name for summary in substance.summaries.values()]
        for name in names:
            # A localized name shared by two substances finds neither: no guessing.
            for key in {slugify(name), native_key(name)} - {""}:
                lookup[key] = "" if lookup.get(key, slug) != slug else slug
    return Library(substances, {key: slug for key, slug in lookup.items() if slug})


@lru_cache(maxsize=8)
def _cached_library(
    content_dir: Path, locales: tuple[str, ...], stamp: float, contacts: frozenset[str]
) -> Library:
    return build_library(content_dir, locales, contacts)


def _stamp(content_dir: Path) -> float:
    # The newest change under the folder: an edited file is loaded (and checked) again.
    return max((p.stat().st_mtime for p in content_dir.rglob("*")), default=0.0)


def _content_dir(app: Flask) -> Path:
    return Path(app.config.get("SUBSTANCE_CONTENT_DIR") or DEFAULT_CONTENT_DIR).resolve()


def _content_files(app: Flask) -> list[Path]:
    content_dir = _content_dir(app)
    return list(content_dir.rglob("*")) if content_dir.is_dir() else []


def init_app(app: Flask, locales: tuple[str, ...]) -> None:
    """Load the content at start-up, so a malformed file stops the service at once;
    then watch it (widget/sources.py)."""
    app.extensions["care_widgets.library.locales"] = locales
    reload_library(app)
    sources.register(app, sources.Source("content", _content_files, reload_library))


def reload_library(app: Flask) -> None:
    """(Re)load the content folder; raises ContentError for a malformed file."""
    content_dir = _content_dir(app)
    with app.app_context():
        # {{contact:ID}} must name a line of the facts file the app reads.
        contacts = frozenset(load_contacts())
    app.extensions["care_widgets.library"] = _cached_library(
        content_dir,
        app.extensions["care_widgets.library.locales"],
        _stamp(content_dir) if content_dir.is_dir() else 0.0,
        contacts,
    )


def library() -> Library:
    """The library of the running app."""
    return current_app.extensions["care_widgets.library"]
