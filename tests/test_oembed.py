"""oEmbed: any widget address on the service gives a `rich` answer with a titled iframe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import HTMX, parse
from tests.partners import partner_app
from widget.embed.choices import FRAME_HEIGHTS


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    return partner_app(make_app, tmp_path)


def oembed(client: FlaskClient, url: str, **extra: str):
    return client.get("/oembed", query_string={"url": url, **extra})


def test_a_banner_address_gives_a_rich_answer(client: FlaskClient) -> None:
    response = oembed(client, "http://localhost/widgets/helpline-banner?variant=compact")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["provider_name"] == "Care Widgets"
    assert body["provider_url"] == "http://localhost/"
    assert body["title"] == "Free, confidential help lines"
    assert body["width"] == 640 and body["height"] == 82
    assert body["cache_age"] == 86400
    iframe = parse(body["html"]).select_one("iframe")
    assert iframe["src"] == "http://localhost/widgets/helpline-banner?variant=compact"
    assert iframe["title"] == body["title"]
    assert iframe["width"] == "640" and iframe["height"] == "82"
    assert parse(body["html"]).select_one("script")["src"] == "http://localhost/static/embed.js"


def test_maxwidth_and_maxheight_are_honoured(client: FlaskClient) -> None:
    body = oembed(
        client, "http://localhost/widgets/substance-summary/kratom", maxwidth="300", maxheight="500"
    ).get_json()
    assert (body["width"], body["height"]) == (300, 500)
    iframe = parse(body["html"]).select_one("iframe")
    assert (iframe["width"], iframe["height"]) == ("300", "500")
    roomy = oembed(
        client, "http://localhost/widgets/helpline-banner", maxwidth="5000", maxheight="5000"
    ).get_json()
    # The banner's first height at 640 px (measured by scripts/slot_heights.py).
    assert (roomy["width"], roomy["height"]) == (640, FRAME_HEIGHTS[("helpline-banner", "full")])


def test_another_name_and_a_language_give_the_one_summary_titled_in_that_language(
    client: FlaskClient,
) -> None:
    body = oembed(client, "http://localhost/widgets/substance-summary/special-k?lang=es").get_json()
    assert body["title"] == "Ketamina"
    iframe = parse(body["html"]).select_one("iframe")
    assert iframe["src"] == "http://localhost/widgets/substance-summary/ketamine?lang=es"
    assert iframe["lang"] == "es"


@pytest.mark.parametrize(
    ("asked", "served", "title"),
    [
        ("es-MX", "es", "Líneas de ayuda gratuitas y confidenciales"),
        ("ES", "es", "Líneas de ayuda gratuitas y confidenciales"),
        ("zh-TW", "zh-Hant", None),
        ("xx-unknown", None, "Free, confidential help lines"),
    ],
)
def test_any_language_tag_in_a_widget_address_is_read_as_the_widget_reads_it(
    client: FlaskClient, asked: str, served: str | None, title: str | None
) -> None:
    response = oembed(client, f"http://localhost/widgets/helpline-banner?lang={asked}")
    assert response.status_code == 200
    body = response.get_json()
    iframe = parse(body["html"]).select_one("iframe")
    expected = "http://localhost/widgets/helpline-banner"
    assert iframe["src"] == (f"{expected}?lang={served}" if served else expected)
    if title:
        assert body["title"] == title


@pytest.mark.parametrize("name", ["maxwidth", "maxheight"])
def test_a_size_of_thousands_of_digits_is_a_400(client: FlaskClient, name: str) -> None:
    response = oembed(client, "http://localhost/widgets/helpline-banner", **{name: "9" * 4301})
    assert response.status_code == 400
    assert "must be a whole number of pixels" in response.get_data(as_text=True)


def test_partner_and_feedback_addresses_keep_their_settings(client: FlaskClient) -> None:
    body = oembed(
        client,
        "http://localhost/widgets/feedback-form?partner=riverside-clinic&page=https://c.example/a",
    ).get_json()
    src = parse(body["html"]).select_one("iframe")["src"]
    assert src == (
        "http://localhost/widgets/feedback-form?partner=riverside-clinic&page=https%3A%2F%2Fc.example%2Fa"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/healthz",
        "http://localhost/embed",
        "http://localhost/widgets/nothing",
        "http://localhost/widgets/substance-summary/unobtainium",
        "https://elsewhere.example/widgets/helpline-banner",
        "javascript:alert(1)",
        "http://localhost/widgets/helpline-banner?partner=nobody",
        "http://[::1",
    ],
)
def test_addresses_that_are_not_widgets_are_404(client: FlaskClient, url: str) -> None:
    assert oembed(client, url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"url": "http://localhost/widgets/helpline-banner?heading=9"},
        {"url": "http://localhost/widgets/helpline-banner?variant=huge"},
        {"url": "http://localhost/widgets/helpline-banner", "maxwidth": "-5"},
        {"url": "http://localhost/widgets/helpline-banner", "maxheight": "tall"},
    ],
)
def test_malformed_requests_are_400(client: FlaskClient, query: dict) -> None:
    assert client.get("/oembed", query_string=query).status_code == 400


def test_xml_is_not_offered(client: FlaskClient) -> None:
    response = oembed(client, "http://localhost/widgets/helpline-banner", format="xml")
    assert response.status_code == 501
    assert "format=json" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/widgets/helpline-banner?variant=crisis&lang=es",
        "/widgets/substance-summary",
        "/widgets/substance-summary/kratom?heading=3",
        "/widgets/feedback-form",
    ],
)
def test_every_widget_page_links_to_its_oembed_answer(client: FlaskClient, path: str) -> None:
    page = parse(client.get(path).get_data(as_text=True))
    link = page.select_one('link[rel="alternate"][type="application/json+oembed"]')
    assert link is not None and link["title"]
    answer = client.get(link["href"].removeprefix("http://localhost"))
    assert answer.status_code == 200
    src = parse(answer.get_json()["html"]).select_one("iframe")["src"]
    assert src == "http://localhost" + path.replace(",", quote(","))
    fragment = client.get(path, headers=HTMX).get_data(as_text=True)
    assert "json+oembed" not in fragment


def test_error_pages_have_no_oembed_link(client: FlaskClient) -> None:
    page = client.get("/widgets/substance-summary/unobtainium").get_data(as_text=True)
    assert "json+oembed" not in page
