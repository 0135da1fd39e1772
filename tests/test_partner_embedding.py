"""What a partner gets: its own line, language, colours and origins; strangers get nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext

from tests.feedback import fresh_fields, stored
from tests.helpers import FRAME, HTMX, fragment_root, parse
from tests.partners import ALLOWED, STRANGER, partner_app
from widget.phone import spaced

BANNER = "/widgets/helpline-banner"
UNKNOWN_PARTNER = (
    "The partner setting of this widget does not match any partner. Please check the embed code."
)
WIDGET_URLS = [
    BANNER,
    "/widgets/substance-summary",
    "/widgets/substance-summary/kratom",
    "/widgets/feedback-form",
]


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    return partner_app(make_app, tmp_path)


@pytest.mark.parametrize("url", WIDGET_URLS)
def test_without_a_partner_any_site_may_fetch_and_frame(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers={"Origin": STRANGER})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Security-Policy"].endswith("frame-ancestors *")
    assert "Origin" not in response.vary


@pytest.mark.parametrize("url", WIDGET_URLS)
def test_a_partner_widget_is_granted_to_the_partner_origin_only(
    client: FlaskClient, url: str
) -> None:
    query = {"partner": "riverside-clinic"}
    mine = client.get(url, query_string=query, headers={**HTMX, "Origin": ALLOWED})
    assert mine.status_code == 200
    assert mine.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in mine.vary
    stranger = client.get(url, query_string=query, headers={**HTMX, "Origin": STRANGER})
    assert "Access-Control-Allow-Origin" not in stranger.headers
    assert "Origin" in stranger.vary
    page = client.get(url, query_string=query)
    csp = page.headers["Content-Security-Policy"]
    assert csp.endswith(f"frame-ancestors 'self' {ALLOWED}")


def test_the_preflight_follows_the_partner_origins(client: FlaskClient) -> None:
    ask = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "hx-request"}
    url = f"{BANNER}?partner=riverside-clinic"
    mine = client.options(url, headers={**ask, "Origin": ALLOWED})
    assert mine.status_code == 200
    assert mine.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "HX-Request" in mine.headers["Access-Control-Allow-Headers"]
    stranger = client.options(url, headers={**ask, "Origin": STRANGER})
    assert "Access-Control-Allow-Origin" not in stranger.headers


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_unknown_partner_is_a_clear_localized_400_that_does_not_repeat_it(
    app: Flask, client: FlaskClient, lang: str
) -> None:
    response = client.get(BANNER, query_string={"partner": "call-555-0000", "lang": lang})
    assert response.status_code == 400
    text = parse(response.get_data(as_text=True)).get_text(" ")
    assert "555-0000" not in text
    with app.test_request_context(), force_locale(lang):
        message = gettext(UNKNOWN_PARTNER)
    assert message in text
    assert (message == UNKNOWN_PARTNER) == (lang == "en")  # Spanish visitors read Spanish
    assert spaced("988") in text
    # Its preflight passes, so the partner's page can show the message.
    preflight = client.options(
        BANNER + "?partner=call-555-0000",
        headers={"Origin": STRANGER, "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_the_partner_language_comes_after_lang_and_before_the_browser(
    client: FlaskClient,
) -> None:
    url = f"{BANNER}?partner=clinica-del-valle"
    assert client.get(url, headers={"Accept-Language": "fr"}).headers["Content-Language"] == "es"
    assert client.get(url + "&lang=ko").headers["Content-Language"] == "ko"
    assert client.get(BANNER, headers={"Accept-Language": "fr"}).headers["Content-Language"] == "fr"


def partner_tier(client: FlaskClient, **query: str):
    root = fragment_root(
        client.get(BANNER, query_string={"partner": "riverside-clinic", **query}, headers=HTMX).text
    )
    return root, root.select_one(".cw-tier--partner")


def test_the_full_banner_shows_the_partner_line_after_the_crisis_lines(
    client: FlaskClient,
) -> None:
    root, tier = partner_tier(client, lang="es")
    assert root["data-partner"] == "riverside-clinic"
    tiers = [t["class"][1] for t in root.select(".cw-tier")]
    assert tiers == ["cw-tier--crisis", "cw-tier--partner", "cw-tier--treatment"]
    assert (
        tier.select_one(".cw-subheading").get_text() == "Línea de admisión de la Clínica Riverside"
    )
    links = tier.select("a")
    assert [a["href"] for a in links] == ["tel:+12025550142", "sms:+12025550142"]
    assert links[0].select_one(".cw-number").get_text() == spaced("1-202-555-0142")
    assert "Llamar al" in links[0].get_text()


def test_partner_words_missing_in_a_language_are_shown_in_english_marked_so(
    client: FlaskClient,
) -> None:
    _, tier = partner_tier(client, lang="fr")
    name = tier.select_one(".cw-subheading span[lang=en]")
    assert name is not None and name.get_text() == "Riverside Clinic intake line"
    assert tier.select_one("a").get_text().startswith("Appeler")  # our own words stay French


def test_compact_banner_and_summaries_add_the_partner_line_but_the_crisis_banner_does_not(
    client: FlaskClient,
) -> None:
    compact, _ = partner_tier(client, variant="compact")
    line = compact.select_one(".cw-compact-line--partner")
    assert "Riverside Clinic intake line" in line.get_text()
    assert line.select_one("a")["href"] == "tel:+12025550142"
    crisis, tier = partner_tier(client, variant="crisis")
    assert tier is None and "555" not in crisis.get_text()
    summary = client.get(
        "/widgets/substance-summary/kratom?partner=riverside-clinic", headers=HTMX
    ).text
    assert 'href="tel:+12025550142"' in summary
    assert "555" not in client.get("/widgets/substance-summary/kratom", headers=HTMX).text


def test_the_partner_theme_is_a_stylesheet_that_partner_pages_load(client: FlaskClient) -> None:
    page = parse(client.get(f"{BANNER}?partner=riverside-clinic", headers=FRAME).text)
    hrefs = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    assert hrefs == ["/static/widgets.css", "/partners/riverside-clinic/theme.css"]
    css = client.get("/partners/riverside-clinic/theme.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    text = css.get_data(as_text=True)
    assert '.cw:not(#_)[data-partner="riverside-clinic"] {' in text
    assert "--cw-brand: #0b6e4f;" in text and "--cw-radius: 0.25rem;" in text
    assert client.get("/partners/nobody/theme.css").status_code == 404
    plain = parse(client.get(BANNER, headers=FRAME).text)
    assert len(plain.select('link[rel="stylesheet"]')) == 1


def test_the_adjusted_example_theme_serves_the_moved_colour(client: FlaskClient) -> None:
    css = client.get("/partners/clinica-del-valle/theme.css").get_data(as_text=True)
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    assert "--cw-brand: #b07cd8;" not in light  # the registry's colour fails 4.5:1 on white
    assert "--cw-brand: #" in light
    # On the dark background the light purple reads well: the partner's own colour.
    assert "--cw-brand: #b07cd8;" in dark


def test_feedback_through_a_partner_widget_is_stored_under_the_partner(
    app: Flask, client: FlaskClient
) -> None:
    fields = fresh_fields(client, "partner=riverside-clinic")
    response = client.post(
        "/widgets/feedback-form?partner=riverside-clinic",
        data={**fields, "helpful": "yes", "comment": "Clear."},
    )
    assert response.status_code == 303
    assert [row.partner for row in stored(app)] == ["riverside-clinic"]
