"""The language switcher (switcher=true) and right-to-left rendering, over HTTP."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import HTMX, fragment_root
from widget.locales import KNOWN_LOCALES

WIDGETS = [
    "/widgets/helpline-banner",
    "/widgets/helpline-banner?variant=compact",
    "/widgets/substance-summary",
    "/widgets/substance-summary/kratom",
    "/widgets/feedback-form",
]


def _join(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


@pytest.mark.parametrize("url", WIDGETS)
def test_switcher_names_every_language_in_itself(client: FlaskClient, url: str) -> None:
    response = client.get(_join(url, "switcher=true&lang=es&heading=3"), headers=HTMX)
    root = fragment_root(response.get_data(as_text=True))
    switchers = root.select("ul.cw-switcher")
    assert len(switchers) == 1, "one switcher, also when a widget holds another"
    switcher = switchers[0]
    assert switcher["aria-label"] == "Idioma"
    links = switcher.find_all("a")
    assert [a["lang"] for a in links] == list(KNOWN_LOCALES)
    assert [a.get_text() for a in links] == [loc.native_name for loc in KNOWN_LOCALES.values()]
    current = [a for a in links if a.has_attr("aria-current")]
    assert [a["lang"] for a in current] == ["es"]
    for link in links:
        assert link["href"].startswith("http://localhost/widgets/")
        assert f"lang={link['lang']}" in link["href"]
        assert "heading=3" in link["href"] and "switcher=true" in link["href"]
        assert link["data-hx-get"] == link["href"]
        assert link["data-hx-target"] == "closest [data-widget]"
        assert link["target"] == "_self"
    arabic = next(a for a in links if a["lang"] == "ar")
    assert arabic["dir"] == "rtl"


def test_no_switcher_unless_asked(client: FlaskClient) -> None:
    root = fragment_root(
        client.get("/widgets/helpline-banner", headers=HTMX).get_data(as_text=True)
    )
    assert root.select("ul.cw-switcher") == []


def test_switcher_must_be_true_or_false(client: FlaskClient) -> None:
    response = client.get("/widgets/helpline-banner?switcher=yes")
    assert response.status_code == 400
    assert "“switcher” must be true or false." in response.get_data(as_text=True)


@pytest.mark.parametrize("url", WIDGETS)
def test_arabic_widgets_are_right_to_left(client: FlaskClient, url: str) -> None:
    response = client.get(_join(url, "lang=ar"), headers=HTMX)
    root = fragment_root(response.get_data(as_text=True))
    assert (root["lang"], root["dir"]) == ("ar", "rtl")
    assert response.headers["Content-Language"] == "ar"
    for number in root.select(".cw-number"):
        assert number["dir"] == "ltr", "phone numbers stay left to right"


@pytest.mark.parametrize("tag", list(KNOWN_LOCALES))
def test_every_locale_renders_every_widget(client: FlaskClient, tag: str) -> None:
    for url in WIDGETS:
        response = client.get(_join(url, f"lang={tag}"), headers=HTMX)
        assert response.status_code == 200
        assert fragment_root(response.get_data(as_text=True))["lang"] == tag


@pytest.mark.parametrize("tag", list(KNOWN_LOCALES))
def test_kratom_and_ketamine_are_written_in_every_locale(client: FlaskClient, tag: str) -> None:
    for slug in ("kratom", "ketamine"):
        response = client.get(f"/widgets/substance-summary/{slug}?lang={tag}", headers=HTMX)
        root = fragment_root(response.get_data(as_text=True))
        assert root.select(".cw-fallback-note") == [], f"{slug} has no {tag} text"
