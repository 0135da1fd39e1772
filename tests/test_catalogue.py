"""The widget catalogue (widget/catalogue.py): one source of truth, built from the component files.

A widget added as a folder (its template and component file) and nothing
else appears in the embed builder, the gallery, the export, oEmbed, the
partner registry and the OpenAPI check. The fixture is
tests/data/widgets/notice (EXTRA_WIDGETS_DIR); no file outside it names it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

from tests.helpers import HTMX, fragment_root, parse
from widget import catalogue
from widget.catalogue import Catalogue
from widget.components import ComponentError, load_components
from widget.embed.choices import FRAME_HEIGHTS, Choice
from widget.partners.registry import RegistryError, parse_registry

ROOT = Path(__file__).resolve().parent.parent
EXTRA = Path(__file__).resolve().parent / "data" / "widgets"
NOTICE = "/widgets/example-notice"


@pytest.fixture
def extended(make_app: Callable[..., Flask]) -> Flask:
    """The service with the example widget's folder added."""
    return make_app(EXTRA_WIDGETS_DIR=str(EXTRA))


# --- the OpenAPI check: every catalogue address and parameter is described ---


def _resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in item:
        node: Any = spec
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        return node
    return item


def undescribed(spec: dict[str, Any], known: Catalogue) -> list[str]:
    """What the catalogue serves that openapi.yaml does not describe (or describes otherwise)."""
    problems = []
    for widget in known.widgets:
        for address in widget.addresses:
            operation = spec["paths"].get(address.path, {}).get("get")
            if operation is None:
                problems.append(f"GET {address.path}")
                continue
            items = [
                *spec["paths"][address.path].get("parameters", []),
                *operation.get("parameters", []),
            ]
            described = {
                p["name"]: p
                for p in (_resolve(spec, item) for item in items)
                if p["in"] in ("query", "path")
            }
            for parameter in address.component.parameters:
                if parameter.name not in described:
                    problems.append(f"GET {address.path} {parameter.name}")
                    continue
                schema = described[parameter.name].get("schema", {})
                if parameter.type == "enum" and schema.get("enum") != list(parameter.allowed or ()):
                    problems.append(f"GET {address.path} {parameter.name}: values")
    return problems


def openapi() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def test_openapi_describes_every_address_and_parameter_of_the_catalogue() -> None:
    assert undescribed(openapi(), catalogue.builtin()) == []


def test_the_openapi_check_covers_a_widget_added_by_its_folder(extended: Flask) -> None:
    with extended.app_context():
        known = catalogue.current()
    assert "example-notice" in known.names
    # Not described yet: the check names it (its YAML is all it took to be checked).
    assert undescribed(openapi(), known) == [f"GET {NOTICE}"]


# --- the catalogue itself ---


def test_the_catalogue_holds_the_widgets_in_builder_order() -> None:
    known = catalogue.builtin()
    assert known.names == ("helpline-banner", "substance-summary", "feedback-form")
    assert known.widget("helpline-banner").variants == ("full", "compact", "crisis")
    assert known.cache_policy == {
        "feedback.form": "private",
        "helpline.helpline_banner": "public",
        "substances.substance_index": "public",
        "substances.substance_summary": "public",
    }
    assert FRAME_HEIGHTS[("helpline-banner", "compact")] == 82
    assert FRAME_HEIGHTS[("substance-summary", "index")] == 1346
    assert FRAME_HEIGHTS[("feedback-form", "")] == 131


def test_components_of_one_widget_must_agree(tmp_path: Path) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    text = (EXTRA / "notice" / "notice.yaml").read_text(encoding="utf-8")
    (folder / "notice.html").write_text((EXTRA / "notice" / "notice.html").read_text())
    (folder / "notice.yaml").write_text(
        text.replace("name: example-notice", "name: example-notice-two", 1)
        .replace("widgets.example_notice", "widgets.example_two")
        .replace("path: /widgets/example-notice", "path: /widgets/example-two")
        .replace("template: notice/notice.html", "template: other/notice.html")
        .replace("label: Example notice", "label: Another label")
        .replace("id: notice-named-region", "id: other-named-region")
    )
    with pytest.raises(ComponentError, match=r"field 'embed\.label': differs from"):
        catalogue.build(load_components(EXTRA) + load_components(tmp_path))


def test_an_address_used_twice_is_refused() -> None:
    with pytest.raises(ComponentError, match="is already used in"):
        catalogue.build(load_components() + load_components())


def test_the_partner_registry_accepts_the_catalogues_names_only() -> None:
    data = {"partners": [{"id": "p", "name": "P", "origins": ["https://p.example"],
                          "widgets": ["example-notice"]}]}  # fmt: skip
    with pytest.raises(RegistryError, match=r"field 'partners\.0\.widgets\.0'"):
        parse_registry(data)
    names = (*catalogue.builtin().names, "example-notice")
    assert parse_registry(data, widgets=names).get("p").widgets == ("example-notice",)


# --- a widget added by its folder alone ---


def test_the_folder_alone_serves_the_widget(extended: Flask) -> None:
    client = extended.test_client()
    response = client.get(NOTICE, query_string={"variant": "long", "heading": "3"}, headers=HTMX)
    assert response.status_code == 200
    root = fragment_root(response.get_data(as_text=True))
    assert root["data-widget"] == "example-notice" and root["data-variant"] == "long"
    assert root.find("h3").get_text(strip=True) == "Opening hours"
    assert root["aria-labelledby"] == root.find("h3")["id"]
    # Cached as its component file says; a bad value is the usual localized 400.
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert client.get(NOTICE + "?variant=huge&lang=es").status_code == 400
    assert client.get(NOTICE + "?partner=nobody").status_code == 400
    page = parse(client.get(NOTICE + "?lang=es").get_data(as_text=True))
    assert page.html["lang"] == "es" and page.find("link", rel="alternate")
    # The built-in widgets are unchanged.
    assert client.get("/widgets/helpline-banner", headers=HTMX).status_code == 200


def test_it_appears_in_the_embed_builder(extended: Flask) -> None:
    client = extended.test_client()
    page = parse(client.get("/embed").get_data(as_text=True))
    boxes = [box["value"] for box in page.select('input[name="widget"]')]
    assert boxes == ["helpline-banner", "substance-summary", "feedback-form", "example-notice"]
    assert (
        page.find("label", attrs={"for": "b-widget-example-notice"}).get_text() == "Example notice"
    )
    chosen = parse(client.get("/embed?widget=example-notice&heading=3").get_data(as_text=True))
    codes = " ".join(code.get_text() for code in chosen.find_all("code"))
    assert "/widgets/example-notice?heading=3" in codes
    assert "cw-slot--example-notice-short" in codes
    assert 'title="Opening hours"' in codes and 'height="120"' in codes


def test_it_appears_in_the_gallery(extended: Flask) -> None:
    page = parse(extended.test_client().get("/gallery").get_data(as_text=True))
    sources = [frame["src"] for frame in page.find_all("iframe")]
    assert f"{NOTICE}?lang=en" in sources and f"{NOTICE}?variant=long&lang=en" in sources


def test_it_appears_in_oembed(extended: Flask) -> None:
    answer = extended.test_client().get(
        "/oembed", query_string={"url": f"http://localhost{NOTICE}?variant=long"}
    )
    assert answer.status_code == 200
    assert answer.json["height"] == 160 and answer.json["title"] == "Opening hours"
    with extended.test_request_context():
        assert (
            Choice("example-notice", variant="long").url("http://x")
            == f"http://x{NOTICE}?variant=long"
        )


def test_it_appears_in_the_export(extended: Flask, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = extended.test_cli_runner().invoke(args=["export", str(out), "--locale", "en"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    pages = {item["page"] for item in manifest}
    assert {"widgets/example-notice/en/short.html", "widgets/example-notice/en/long.html"} <= pages
    fragment = (out / "widgets/example-notice/en/long.fragment.html").read_text(encoding="utf-8")
    assert fragment_root(fragment)["data-variant"] == "long"


def test_no_file_outside_its_folder_names_the_example_widget() -> None:
    # "Needs no edit outside its folder": only the fixture and this test name it.
    listed = subprocess.run(
        ["git", "grep", "--untracked", "-l", "example-notice", "--", ".",
         ":!tests/test_catalogue.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert listed.stdout.split() == ["tests/data/widgets/notice/notice.yaml"] or (
        listed.stdout.split()
        == ["tests/data/widgets/notice/notice.html", "tests/data/widgets/notice/notice.yaml"]
    )
