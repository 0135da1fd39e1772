"""The embed builder: a partner picks a widget and options and gets code that matches them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import parse
from tests.partners import partner_app


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    return partner_app(make_app, tmp_path)


def builder(client: FlaskClient, status: int = 200, **query: str):
    response = client.get("/embed", query_string=query)
    assert response.status_code == status
    return response, parse(response.get_data(as_text=True))


def code(page, key: str) -> str:
    return page.select_one(f"#b-{key}-code").get_text()


def test_the_default_is_the_full_banner_in_the_visitor_language(client: FlaskClient) -> None:
    response, page = builder(client)
    assert page.select_one("h1").get_text() == "Embed a widget"
    widget = "http://localhost/widgets/helpline-banner"
    assert f'hx-get="{widget}"' in code(page, "htmx2")
    assert '"selfRequestsOnly":false' in code(page, "htmx2")
    assert '"mode":"cors"' in code(page, "htmx4")
    iframe = parse(code(page, "iframe")).select_one("iframe")
    assert iframe["src"] == widget
    assert iframe["title"] == "Free, confidential help lines"
    assert iframe.has_attr("data-cw-autoheight") and iframe["height"] == "1031"
    assert 'src="http://localhost/static/embed.js"' in code(page, "iframe")
    assert code(page, "oembed") == (
        "http://localhost/oembed?url=http%3A%2F%2Flocalhost%2Fwidgets%2Fhelpline-banner&format=json"
    )
    preview = page.select_one("iframe.cw-builder__preview")
    assert preview["src"] == widget and preview["title"] == "Free, confidential help lines"


def test_every_option_reaches_the_code(client: FlaskClient) -> None:
    _, page = builder(
        client,
        widget="substance-summary",
        substance="kratom",
        language="es",
        heading="3",
        partner="riverside-clinic",
    )
    widget = (
        "http://localhost/widgets/substance-summary/kratom"
        "?lang=es&heading=3&partner=riverside-clinic"
    )
    for key in ("htmx2", "htmx4"):
        snippet = parse(code(page, key))
        assert snippet.select_one("div")["hx-get"] == widget
        assert snippet.select_one("div a")["lang"] == "es"
        sheets = [link["href"] for link in snippet.select("link")]
        assert sheets == [
            "http://localhost/static/widgets.css",
            "http://localhost/static/embed.css",
            "http://localhost/partners/riverside-clinic/theme.css",
        ]
    iframe = parse(code(page, "iframe")).select_one("iframe")
    assert iframe["src"] == widget and iframe["lang"] == "es" and iframe["title"] == "Kratom"
    selected = {s["name"]: s.select_one("option[selected]")["value"] for s in page.select("select")}
    assert selected == {
        "widget": "substance-summary",
        "substance": "kratom",
        "variant": "full",
        "language": "es",
        "heading": "3",
        "partner": "riverside-clinic",
    }


def test_the_banner_variant_and_the_feedback_page_reach_the_code(client: FlaskClient) -> None:
    _, page = builder(client, variant="crisis")
    assert "helpline-banner?variant=crisis" in code(page, "htmx2")
    _, page = builder(client, widget="feedback-form", page="https://clinic.example/help?q=1")
    iframe = parse(code(page, "iframe")).select_one("iframe")
    # The page's query string is dropped, as the stored feedback drops it.
    assert iframe["src"].endswith("/widgets/feedback-form?page=https%3A%2F%2Fclinic.example%2Fhelp")


@pytest.mark.parametrize(
    "query",
    [
        {"widget": "weather"},
        {"variant": "huge"},
        {"substance": "../etc/passwd"},
        {"language": "xx"},
        {"heading": "9"},
        {"partner": "nobody"},
    ],
)
def test_an_impossible_choice_is_a_localized_400(client: FlaskClient, query: dict) -> None:
    response = client.get("/embed", query_string={**query, "lang": "es"})
    assert response.status_code == 400
    assert response.headers["Content-Language"] == "es"
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_bad_page_address_is_shown_at_its_field_and_kept(client: FlaskClient) -> None:
    _, page = builder(client, 400, widget="feedback-form", page="javascript:alert(1)")
    field = page.select_one("#b-page")
    assert field["value"] == "javascript:alert(1)"
    assert field["aria-invalid"] == "true"
    assert "b-page-error" in field["aria-describedby"].split()
    assert page.select_one("#b-page-error").get_text().startswith("Enter a web address")
    assert page.select_one("select[name=widget] option[selected]")["value"] == "feedback-form"


def test_the_builder_frames_only_its_own_preview_and_lists_the_partners(
    client: FlaskClient,
) -> None:
    response, page = builder(client)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    partners = [o["value"] for o in page.select("select[name=partner] option")]
    assert partners == ["", "clinica-del-valle", "riverside-clinic"]
    # Copy buttons appear only with JavaScript (builder.js), each tied to its code.
    for button in page.select("button[data-copy]"):
        assert button.has_attr("hidden")
        assert page.select_one("#" + button["data-copy"]) is not None


def test_the_builder_speaks_the_visitor_language(client: FlaskClient) -> None:
    response, page = builder(client, lang="ar")
    assert response.headers["Content-Language"] == "ar"
    assert page.select_one("html")["dir"] == "rtl"
    for code_block in page.select("code"):
        assert code_block["dir"] == "ltr"
