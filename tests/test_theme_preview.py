"""The theme preview: a partner's colours checked like the registry does, applied, and as YAML."""

from __future__ import annotations

import yaml
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import parse
from widget.partners.palettes import PAIRS
from widget.partners.theme import build_theme


def test_a_failing_brand_gets_its_ratio_and_nearest_passing_shade(client: FlaskClient) -> None:
    response = client.get("/embed/theme", query_string={"brand": "#6fa8dc"})
    assert response.status_code == 200
    page = parse(response.text)
    failing = [li.get_text() for li in page.select(".cw-builder__fail")]
    assert failing[0] == (
        "brand #6fa8dc on background #ffffff: 2.5:1, needs 4.5:1. Nearest passing shade: #517aa0."
    )
    # One verdict for every pair the registry checks at start-up.
    assert len(page.select(".cw-builder__verdicts li")) == len(PAIRS)
    # The YAML holds passing colours only, and the registry accepts it as it is.
    # (A shade that passes every pair the brand is drawn in, so it may be
    # darker than the first pair's nearest passing shade.)
    entry = yaml.safe_load(page.select_one("#t-yaml").get_text())["theme"]
    assert set(entry) == {"brand"} and entry["brand"] != "#6fa8dc"
    build_theme(entry, adjust=False, warnings=[])


def test_the_preview_is_themed_by_a_stylesheet_made_from_checked_values(
    client: FlaskClient,
) -> None:
    query = {"brand": "#0b6e4f", "font": "Georgia, serif", "radius": "4px"}
    page = parse(client.get("/embed/theme", query_string=query).text)
    sheet = page.select('link[rel="stylesheet"]')[-1]["href"]
    assert sheet.startswith("/embed/theme.css?")
    css = client.get(sheet).text
    assert ".cw-theme-preview .cw:not(#_) {" in css
    assert "--cw-brand: #0b6e4f;" in css and "--cw-font: Georgia, serif;" in css
    assert page.select_one('.cw-theme-preview [data-widget="helpline-banner"]') is not None
    assert not page.select(".cw-builder__fail")


def test_values_that_cannot_be_used_are_errors_at_their_fields_and_never_reach_css(
    client: FlaskClient,
) -> None:
    query = {"brand": "blue", "font": "x;} body {display:none", "radius": "9in", "lang": "es"}
    response = client.get("/embed/theme", query_string=query)
    assert response.status_code == 400
    page = parse(response.text)
    for name in ("brand", "font", "radius"):
        field = page.select_one(f"#t-{name}")
        assert field["aria-invalid"] == "true"
        assert f"t-{name}-error" in field["aria-describedby"].split()
        assert field["value"] == query[name], "what the partner typed is kept"
    assert page.select_one("#t-brand-error").get_text().startswith("Escriba un color")
    css = client.get("/embed/theme.css", query_string=query).text
    assert "display" not in css and "blue" not in css and "9in" not in css


def test_the_builder_links_the_theme_preview(client: FlaskClient, app: Flask) -> None:
    page = parse(client.get("/embed").text)
    assert page.select_one('a[href="/embed/theme"]') is not None
