"""The gettext catalogues: current with the source, complete, placeholders intact."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from widget.locales import KNOWN_LOCALES
from widget.paths import translations_dir

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def messages(catalog: Catalog) -> dict:
    return {
        message.id: (sorted(message.locations), sorted(message.flags))
        for message in catalog
        if message.id
    }


def test_messages_pot_is_current_with_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "sentence",
            "--sort-by-file",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = messages(read(translations_dir() / "messages.pot"))
    assert messages(read(fresh)) == committed, "run: scripts/translations update"


TRANSLATED = [tag for tag in KNOWN_LOCALES if tag != "en"]


@pytest.mark.parametrize("tag", TRANSLATED)
def test_every_message_is_translated_and_not_fuzzy(tag: str) -> None:
    locale = KNOWN_LOCALES[tag]
    catalog = read(translations_dir() / locale.babel_id / "LC_MESSAGES" / "messages.po")
    template = read(translations_dir() / "messages.pot")
    missing = [m.id for m in template if m.id and not catalog.get(m.id)]
    assert not missing, f"{tag}: not in the catalogue: {missing}"
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"{tag}: fuzzy: {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{tag}: untranslated: {message.id!r}"


@pytest.mark.parametrize("tag", TRANSLATED)
def test_translations_keep_every_placeholder(tag: str) -> None:
    locale = KNOWN_LOCALES[tag]
    catalog = read(translations_dir() / locale.babel_id / "LC_MESSAGES" / "messages.po")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == expected, f"{tag}: {message.id!r}"


@pytest.mark.parametrize("tag", TRANSLATED)
def test_compiled_catalogue_matches_its_source(tag: str) -> None:
    folder = translations_dir() / KNOWN_LOCALES[tag].babel_id / "LC_MESSAGES"
    compiled = folder / "messages.mo"
    assert compiled.exists(), "run: scripts/translations compile"
    with compiled.open("rb") as handle:
        served = gettext.GNUTranslations(handle)
    for message in read(folder / "messages.po"):
        if message.id and not message.pluralizable:
            assert served.gettext(message.id) == message.string, "run: scripts/translations compile"


def test_coverage_command_prints_a_row_per_locale(app) -> None:
    result = app.test_cli_runner().invoke(args=["translations", "coverage"])
    assert result.exit_code == 0, result.output
    coverage, readability = result.output.split("\n\n", 1)
    lines = coverage.splitlines()
    assert lines[0].split()[:3] == ["locale", "strings", "summaries"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == set(KNOWN_LOCALES)
    # The second table: sentence lengths of the summaries, a row per locale.
    readable = readability.strip().splitlines()
    assert readable[0].split()[:3] == ["locale", "mean", "sentence"]
    assert {line.split()[0] for line in readable[1:]} == set(KNOWN_LOCALES)
    # Thirteen substances since issue 14 added fentanyl, each in English and Spanish.
    assert rows["en"][2] == "13/13"
    assert rows["es"][2] == "13/13"
    for row in rows.values():
        done, total = row[1].split("/")
        assert done == total, row
