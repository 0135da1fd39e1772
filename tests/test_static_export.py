"""`flask export`: every GET widget as static files whose links work from any web server."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.feedback import stored
from tests.helpers import fragment_root, parse
from tests.partners import partner_app
from widget.locales import KNOWN_LOCALES

SUBSTANCES = 13  # fentanyl joined the twelve in issue 14
OPEN_WIDGETS = 3 + 1 + SUBSTANCES + 1  # banner variants, index, summaries, feedback form


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    return partner_app(make_app, tmp_path)


@pytest.fixture
def exported(app: Flask, tmp_path: Path):
    out = tmp_path / "export"
    result = app.test_cli_runner().invoke(
        args=["export", str(out), "--base-url", "https://widgets.example", "--locale", "en",
              "--locale", "es", "--locale", "ar"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out, result.output


def test_every_widget_variant_substance_locale_and_partner_is_written(exported) -> None:
    out, output = exported
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    # Open defaults plus the two example partners, who use every widget.
    assert len(manifest) == OPEN_WIDGETS * 3 * 3
    for entry in manifest:
        assert (out / entry["page"]).is_file() and (out / entry["fragment"]).is_file()
    assert (out / "widgets/helpline-banner/es/crisis.html").is_file()
    assert (out / "widgets/substance-summary/ar/kratom.fragment.html").is_file()
    assert (out / "partners/riverside-clinic/widgets/feedback-form/en/form.html").is_file()
    for name in ("widgets.css", "widgets.js", "frame.js", "embed.js"):
        assert (out / "static" / name).is_file()
    assert (out / "partners/riverside-clinic/theme.css").read_text().startswith("/* Care Widgets")
    # Progress while it works, and a summary at the end.
    total = OPEN_WIDGETS * 3 * 3
    assert re.search(rf"^  \d+/{total} widgets \(\d+%\)$", output, re.MULTILINE)
    assert re.search(rf"^Exported {total} widgets: \d+ files, \d+ KiB, in [\d.]+ s", output, re.M)


def test_fragments_and_pages_are_what_the_service_answers(exported) -> None:
    out, _ = exported
    root = fragment_root((out / "widgets/helpline-banner/es/full.fragment.html").read_text())
    assert root["data-widget"] == "helpline-banner" and root["lang"] == "es"
    page = parse((out / "widgets/helpline-banner/ar/compact.html").read_text())
    assert page.select_one("html")["dir"] == "rtl"
    themed = fragment_root(
        (
            out / "partners/riverside-clinic/widgets/helpline-banner/en/full.fragment.html"
        ).read_text()
    )
    assert root.select_one(".cw-tier--partner") is None
    assert themed.select_one(".cw-tier--partner") is not None


def test_links_between_exported_files_are_relative_and_resolve(exported) -> None:
    out, _ = exported
    pages = [f for f in out.glob("**/*.html") if not f.name.endswith(".fragment.html")]
    assert len(pages) == OPEN_WIDGETS * 3 * 3
    for file in pages:
        html = parse(file.read_text(encoding="utf-8"))
        for tag in html.select("[href], [src]"):
            value = tag.get("href") or tag.get("src")
            if value.startswith(("#", "https://", "tel:", "sms:", "mailto:")):
                continue
            assert (file.parent / value).resolve().is_file(), f"{file}: {value}"
        # Every page finds its stylesheet next to it, whatever folder it is served from.
        sheet = html.select_one('link[rel="stylesheet"]')["href"]
        assert (file.parent / sheet).resolve() == (out / "static/widgets.css").resolve()
    index = parse((out / "widgets/substance-summary/es/index.html").read_text())
    assert index.select_one('a[href="kratom.html"]') is not None


def test_the_exported_form_posts_to_the_live_service_and_is_accepted(app: Flask, exported) -> None:
    out, _ = exported
    form = parse((out / "widgets/feedback-form/es/form.html").read_text()).select_one("form")
    assert form["action"] == "https://widgets.example/widgets/feedback-form?lang=es"
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    response = app.test_client().post(
        "/widgets/feedback-form?lang=es", data={**fields, "helpful": "yes"}
    )
    assert response.status_code == 303
    assert [row.helpful for row in stored(app)] == [True]


def test_one_partner_and_every_locale(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "one"
    result = app.test_cli_runner().invoke(
        args=["export", str(out), "--partner", "clinica-del-valle"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == OPEN_WIDGETS * len(KNOWN_LOCALES)
    assert all(entry["page"].startswith("partners/clinica-del-valle/") for entry in manifest)
    bad = app.test_cli_runner().invoke(args=["export", str(out), "--partner", "nobody"])
    assert bad.exit_code != 0 and "unknown partner(s): nobody" in bad.output
