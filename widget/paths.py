"""Where the top-level translations/ and static/ folders are, in a checkout or a wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _top_level(name: str) -> Path:
    # A wheel carries the folder inside the package; a checkout (or an
    # editable install) has it beside the package.
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def translations_dir() -> Path:
    """Absolute path of the gettext catalogues."""
    return _top_level("translations")


def static_dir() -> Path:
    """Absolute path of the CSS and scripts the widgets use."""
    return _top_level("static")
