"""The pseudo-locale: every visible interface string must come through gettext.

In en-XA every translated string is accented and [bracketed]; text left
outside brackets was hard-coded or never extracted. Content (substance text,
source titles) is not gettext: it carries lang="en" and is left out here.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.helpers import HTMX, parse
from widget.pseudo import pseudo

# Visible text that is rightly the same in every language.
ALLOWED = {"(1-800-662-HELP)", "(HELP4U)", "–"}
NUMBERISH = re.compile(r"^[\d\s()+\-./:,%·]+$")

PAGES = [
    "/widgets/helpline-banner",
    "/widgets/helpline-banner?variant=compact",
    "/widgets/helpline-banner?variant=crisis&switcher=true",
    "/widgets/substance-summary",
    "/widgets/substance-summary/kratom?collapsible=true",
    "/widgets/feedback-form",
    "/widgets/feedback-form?state=thanks",
    "/widgets/helpline-banner?variant=nope",
    "/widgets/no-such-widget",
]


@pytest.fixture
def pseudo_app(make_app) -> Flask:
    return make_app(PSEUDO_LOCALE=True)


def leftovers(html: str) -> list[str]:
    soup = parse(html)
    # What the visitor typed (textarea) is theirs, not ours.
    for tag in soup.select("script, style, textarea, [lang]:not([lang=en-XA]), .cw-switcher"):
        tag.decompose()
    text = " ".join(soup.stripped_strings)
    text = re.sub(r"\[[^\[\]]*\]", " ", text)
    return [
        token
        for token in text.split()
        if token not in ALLOWED and not NUMBERISH.match(token) and token != "–"
    ]


def test_pseudo_strings_are_accented_longer_and_bracketed() -> None:
    assert pseudo("Call %(number)s") == "[Ƈȧŀŀ %(number)s ~~~~~~]"
    text = pseudo("Was this page helpful?")
    assert text.startswith("[") and text.endswith("]")
    assert len(text) >= len("Was this page helpful?") * 1.4


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("htmx", [True, False])
def test_every_visible_string_is_translated(pseudo_app: Flask, url: str, htmx: bool) -> None:
    joiner = "&" if "?" in url else "?"
    response = pseudo_app.test_client().get(
        f"{url}{joiner}lang=en-XA", headers=HTMX if htmx else {}
    )
    assert response.headers["Content-Language"] == "en-XA"
    assert leftovers(response.get_data(as_text=True)) == []


def test_feedback_errors_and_counts_are_translated(pseudo_app: Flask) -> None:
    client = pseudo_app.test_client()
    response = client.post(
        "/widgets/feedback-form?lang=en-XA", data={"helpful": "yes", "comment": "x" * 120}
    )
    assert response.status_code == 422
    assert leftovers(response.get_data(as_text=True)) == []


def test_pseudo_locale_is_off_by_default(client) -> None:
    response = client.get("/widgets/helpline-banner?lang=en-XA")
    assert response.headers["Content-Language"] == "en"
