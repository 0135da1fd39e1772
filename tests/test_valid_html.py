"""Valid HTML: the W3C Nu HTML Checker finds no error in anything the service sends."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.nu import VNU, check, every_answer, java


@pytest.mark.skipif(
    java() is None,
    reason="no `java` on this machine (scripts/setup --test installs default-jre-headless)",
)
def test_every_document_and_fragment_in_every_locale_is_valid_html(
    app: Flask, tmp_path: Path
) -> None:
    assert VNU.exists(), "vnu-jar is missing: run `npm ci`"
    files = every_answer(app, tmp_path)
    assert len(files) > 300
    errors = check(files)
    assert not errors, f"{len(errors)} Nu error(s):\n" + "\n".join(errors[:60])
