"""Helpers for the substance tests: the content on disk, and copies to break on purpose."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from widget.substances.content import DEFAULT_CONTENT_DIR

SLUGS = sorted(p.name for p in DEFAULT_CONTENT_DIR.iterdir() if p.is_dir())


def copy_content(target: Path) -> Path:
    """A private copy of the real content, to change in one test."""
    destination = target / "substances"
    shutil.copytree(DEFAULT_CONTENT_DIR, destination)
    return destination


def plain_text(markdown: str) -> str:
    """Section Markdown as a reader meets it: no markers, no list bullets, no bold."""
    # {{name:ketum}} and {{en:FDA}} read "ketum" and "FDA".
    text = re.sub(r"\{\{(?!contact:)[a-z]+:([^{}]*)\}\}", r"\1", markdown)
    text = re.sub(r"\[@[a-z0-9-]+\]", "", text)
    return re.sub(r"\*\*|^\s*-\s+", "", text, flags=re.M)
