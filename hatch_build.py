"""Compile the gettext catalogues into the wheel, so an installed service has .mo files."""

from __future__ import annotations

import pathlib
import tempfile
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    """Write messages.mo beside every messages.po in the built wheel."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = pathlib.Path(self.root)
        out = pathlib.Path(tempfile.mkdtemp(prefix="care-widgets-mo-"))
        for po_path in sorted((root / "translations").glob("*/LC_MESSAGES/messages.po")):
            locale = po_path.parent.parent.name
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=locale)
            mo_path = out / locale / "messages.mo"
            mo_path.parent.mkdir(parents=True)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            target = f"widget/translations/{locale}/LC_MESSAGES/messages.mo"
            build_data["force_include"][str(mo_path)] = target
