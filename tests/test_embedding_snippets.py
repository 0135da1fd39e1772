"""The snippets in docs/embedding.md are what the builder prints, so the CLS tests cover them."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from widget.embed.choices import Choice
from widget.embed.snippets import build

EMBEDDING = (Path(__file__).resolve().parents[1] / "docs" / "embedding.md").read_text(
    encoding="utf-8"
)
SERVICE = "https://widgets.example.org"


def _html_blocks() -> list[str]:
    return [block.strip() for block in re.findall(r"```html\n(.*?)```", EMBEDDING, re.S)]


def test_the_documented_htmx_snippet_is_the_builders(app: Flask) -> None:
    # The documented example page: a banner and a feedback form, in Spanish.
    banner = Choice("helpline-banner", lang="es")
    form = Choice("feedback-form", lang="es", page="https://clinic.example/help")
    with app.app_context():
        snippet = build(SERVICE, [(banner, banner.title("es")), (form, form.title("es"))]).htmx2
    assert snippet in _html_blocks()


def test_the_documented_iframe_snippet_is_the_builders(app: Flask) -> None:
    choice = Choice("helpline-banner")
    with app.app_context():
        snippet = build(SERVICE, [(choice, choice.title("en"))]).iframe
    assert snippet in _html_blocks()
    # Valid HTML: whole pixels, no percentage in the width attribute.
    assert 'width="100%"' not in snippet and 'width="640"' in snippet
