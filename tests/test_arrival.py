"""One widget address, three answers: htmx fragment, iframe document, standalone page."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import DIRECT, FRAME, HTMX, parse

WIDGETS = [
    "/widgets/helpline-banner",
    "/widgets/helpline-banner?variant=compact",
    "/widgets/helpline-banner?variant=crisis&heading=3",
    "/widgets/substance-summary",
    "/widgets/substance-summary/kratom?collapsible=true",
    "/widgets/feedback-form?page=https://clinic.example/help",
]


@pytest.mark.parametrize("url", WIDGETS)
@pytest.mark.parametrize("headers", [{}, DIRECT], ids=["no-header", "document"])
def test_a_direct_visit_is_a_standalone_page(
    client: FlaskClient, url: str, headers: dict[str, str]
) -> None:
    soup = parse(client.get(url, headers=headers).text)
    mains = soup.find_all("main")
    assert len(mains) == 1
    widget = mains[0].find(attrs={"data-widget": True})
    assert widget is not None, "the widget is the page's main content"
    ones = soup.find_all("h1")
    assert len(ones) == 1 and ones[0].get_text(strip=True)
    assert ones[0].find_parent("main") is mains[0]
    # The widget's own headings follow from the h1, whatever `heading` said.
    levels = [int(tag.name[1]) for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    nav = soup.find("nav")
    assert nav["aria-label"] == "Language"
    links = nav.find_all("a", hreflang=True)
    assert len(links) == 10 and [a for a in links if a.get("aria-current") == "true"]
    assert not nav.find_parent("main"), "the switcher is a landmark of its own, before main"
    # No host page to talk to: the frame's auto-height script is not loaded.
    assert not soup.find("script", src="/static/frame.js")


@pytest.mark.parametrize("url", WIDGETS)
def test_inside_an_iframe_the_document_keeps_the_host_outline(
    client: FlaskClient, url: str
) -> None:
    soup = parse(client.get(url, headers=FRAME).text)
    assert soup.find("main") is None
    assert soup.find("h1") is None
    assert soup.find("nav") is None
    assert soup.find("script", src="/static/frame.js") is not None


def test_the_page_language_links_switch_the_page_in_place(client: FlaskClient) -> None:
    soup = parse(client.get("/widgets/substance-summary/kratom?heading=3&lang=es").text)
    spanish = soup.select_one('nav a[hreflang="ar"]')
    assert spanish["href"] == "http://localhost/widgets/substance-summary/kratom?heading=3&lang=ar"
    assert not spanish.has_attr("data-hx-get"), "a plain link: the page has no htmx"
    assert soup.select_one('nav a[aria-current="true"]')["hreflang"] == "es"
    arabic = parse(client.get(spanish["href"]).text)
    assert arabic.html["lang"] == "ar" and arabic.html["dir"] == "rtl"


def test_a_widget_with_its_own_switcher_gets_no_second_one(client: FlaskClient) -> None:
    soup = parse(client.get("/widgets/helpline-banner?switcher=true").text)
    assert soup.find("nav") is None
    assert len(soup.select(".cw-switcher")) == 1


def test_the_compact_line_gets_a_page_heading_of_its_own(client: FlaskClient) -> None:
    soup = parse(client.get("/widgets/helpline-banner?variant=compact&lang=fr").text)
    assert soup.find("h1").get_text() == soup.title.get_text().split(" – ")[0]


@pytest.mark.parametrize("url", WIDGETS)
def test_each_arrival_is_cached_and_revalidated_on_its_own(client: FlaskClient, url: str) -> None:
    answers = {}
    for name, headers in (("page", DIRECT), ("frame", FRAME), ("fragment", HTMX)):
        first = client.get(url, headers=headers)
        assert "Sec-Fetch-Dest" in first.headers["Vary"]
        answers[name] = first
        if "feedback-form" in url:
            # Each form carries its own token: never stored or shared.
            assert first.headers["Cache-Control"] == "no-store"
            continue
        assert first.headers["Cache-Control"].startswith("public")
        again = client.get(url, headers={**headers, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        # A cached answer (the second request) is the same variant as the first.
        assert client.get(url, headers=headers).data == first.data
    assert len({answer.data for answer in answers.values()}) == 3
    if "feedback-form" not in url:
        assert len({answer.headers["ETag"] for answer in answers.values()}) == 3
        assert b"<main" in answers["page"].data and b"<main" not in answers["frame"].data
