"""The audit report a QA team files: every link in it leads somewhere that exists."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from flask import Flask

from tests.helpers import parse
from widget.audit.report import Run, write


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_local_link_of_the_report_points_at_a_file_that_exists(
    app: Flask, tmp_path: Path, lang: str
) -> None:
    run = Run(scope="built-in", started=datetime.now(UTC), seconds=1.0, browser="Chromium")
    page = write(app, tmp_path / "report", [], run, lang)
    soup = parse(page.read_text(encoding="utf-8"))
    local = []
    for link in soup.select("[href], [src]"):
        target = link.get("href") or link.get("src")
        parts = urlsplit(target)
        if parts.scheme in ("http", "https") or target.startswith("#"):
            continue
        path = Path(unquote(parts.path)) if parts.scheme == "file" else page.parent / target
        local.append(path)
        assert path.exists(), f"the report links to {target}, which does not exist"
    # The manual checklists are linked, and hold the widgets' checklists.
    folders = [path for path in local if path.name == "accessibility"]
    assert folders and (folders[0] / "feedback-form.md").is_file()
    assert "docs/checklists" not in page.read_text(encoding="utf-8")
