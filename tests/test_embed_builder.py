"""The embed builder: a partner picks a widget and options and gets code that matches them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import parse
from tests.partners import partner_app
from widget.embed.choices import FRAME_HEIGHTS
from widget.embed.snippets import htmx_pins


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
    assert f'data-hx-get="{widget}"' in code(page, "htmx2")
    assert '"selfRequestsOnly":false' in code(page, "htmx2")
    assert '"mode":"cors"' in code(page, "htmx4")
    iframe = parse(code(page, "iframe")).select_one("iframe")
    assert iframe["src"] == widget
    assert iframe["title"] == "Free, confidential help lines"
    assert iframe.has_attr("data-cw-autoheight") and iframe["height"] == str(
        FRAME_HEIGHTS[("helpline-banner", "full")]
    )
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
        assert snippet.select_one("div")["data-hx-get"] == widget
        assert snippet.select_one("div a")["lang"] == "es"
        sheets = [link["href"] for link in snippet.select("link[rel=stylesheet]")]
        assert sheets == [
            "http://localhost/static/widgets.css",
            "http://localhost/static/embed.css",
            "http://localhost/partners/riverside-clinic/theme.css",
        ]
    iframe = parse(code(page, "iframe")).select_one("iframe")
    assert iframe["src"] == widget and iframe["lang"] == "es" and iframe["title"] == "Kratom"
    selected = {s["name"]: s.select_one("option[selected]")["value"] for s in page.select("select")}
    assert [box["value"] for box in page.select("input[name=widget][checked]")] == [
        "substance-summary"
    ]
    assert selected == {
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
    assert page.select_one("input[name=widget][checked]")["value"] == "feedback-form"


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


def test_several_widgets_share_one_head_block_and_get_a_place_each(client: FlaskClient) -> None:
    _, page = builder(
        client,
        widget=["helpline-banner", "feedback-form"],
        variant="crisis",
        page="https://clinic.example/help",
        substance="kratom",
        collapsible="true",
        partner="riverside-clinic",
    )
    for key in ("htmx2", "htmx4"):
        snippet = parse(code(page, key))
        assert len(snippet.select('meta[name="htmx-config"]')) == 1
        assert len(snippet.select('link[href$="/static/widgets.css"]')) == 1
        assert len(snippet.select('link[href$="/riverside-clinic/theme.css"]')) == 1
        assert len(snippet.select('script[src$="/static/widgets.js"]')) == 1
        [htmx] = snippet.select("script[integrity]")
        assert htmx["integrity"] == htmx_pins()[key]["integrity"]
        assert htmx["src"] == htmx_pins()[key]["url"]
        places = [div["data-hx-get"] for div in snippet.select("div[data-hx-get]")]
        # Options of a widget not chosen (substance, collapsible) reach no address.
        assert places == [
            "http://localhost/widgets/helpline-banner?variant=crisis&partner=riverside-clinic",
            "http://localhost/widgets/feedback-form?partner=riverside-clinic"
            "&page=https%3A%2F%2Fclinic.example%2Fhelp",
        ]
    frames = parse(code(page, "iframe"))
    assert len(frames.select("iframe")) == 2 and len(frames.select("script")) == 1
    assert len(code(page, "oembed").splitlines()) == 2
    assert len(page.select("iframe.cw-builder__preview")) == 2


def test_collapsible_reaches_only_a_single_summary(client: FlaskClient) -> None:
    _, page = builder(client, widget="substance-summary", substance="kratom", collapsible="true")
    url = "http://localhost/widgets/substance-summary/kratom?collapsible=true"
    assert parse(code(page, "htmx2")).select_one("div")["data-hx-get"] == url
    assert page.select_one("#b-collapsible").has_attr("checked")
    _, page = builder(client, widget="substance-summary", collapsible="true")
    assert "collapsible" not in code(page, "iframe")


def test_the_preview_can_be_a_phone_dark_and_arabic_without_changing_the_code(
    client: FlaskClient,
) -> None:
    _, plain = builder(client, widget="feedback-form")
    _, page = builder(client, widget="feedback-form", preview=["phone", "dark", "arabic"])
    box = page.select_one(".cw-builder__previews")
    assert {"cw-builder__previews--phone", "cw-builder__previews--dark"} <= set(box["class"])
    frame = page.select_one("iframe.cw-builder__preview")
    assert frame["src"] == "http://localhost/widgets/feedback-form?lang=ar"
    assert frame["lang"] == "ar" and frame["title"] == "هل كانت هذه الصفحة مفيدة؟"
    for key in ("htmx2", "htmx4", "iframe", "oembed"):
        assert code(page, key) == code(plain, key)


def test_with_each_visitors_language_the_frame_title_is_the_host_pages(
    client: FlaskClient,
) -> None:
    _, page = builder(client, widget="feedback-form", lang="fr")
    frame = parse(code(page, "iframe")).select_one("iframe")
    assert frame["title"] == "Cette page vous a-t-elle été utile\xa0?"
    assert not frame.has_attr("lang")
    hint = page.select_one("#b-language-hint").get_text()
    assert hint and page.select_one("#b-language")["aria-describedby"] == "b-language-hint"
