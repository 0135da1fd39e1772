"""Which language a visitor gets: lang parameter, Accept-Language, then English."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import HTMX, fragment_root
from widget.i18n import negotiate_locale
from widget.locales import match_locale

# (lang parameter, Accept-Language header, locale rendered)
CASES = [
    (None, None, "en"),
    ("es", None, "es"),
    ("ES", None, "es"),
    ("es-MX", None, "es"),
    ("es_MX", None, "es"),
    ("es-419", None, "es"),
    ("en-US", None, "en"),
    (None, "es-MX,es;q=0.9", "es"),
    (None, "es", "es"),
    (None, "en-GB,en;q=0.8,es;q=0.5", "en"),
    (None, "de-DE,de;q=0.9,es;q=0.8,en;q=0.7", "es"),
    (None, "de-DE,de;q=0.9,en;q=0.8,es;q=0.7", "en"),
    (None, "es;q=0.2,en;q=0.9", "en"),
    (None, "en;q=0,es", "es"),
    (None, "*", "en"),
    (None, "pt-BR", "en"),
    (None, "", "en"),
    (None, "garbage;;;q=x", "en"),
    ("en", "es", "en"),
    ("es", "en", "es"),
    ("pt-BR", "es-MX", "es"),
    ("xx", "es", "es"),
    ("", "es", "es"),
    ("<script>", "es", "es"),
    ("e" * 300, None, "en"),
    # Chinese: a region implies a script; an explicit script wins.
    ("zh-CN", None, "zh-Hans"),
    ("zh-SG", None, "zh-Hans"),
    ("zh-TW", None, "zh-Hant"),
    ("zh-HK", None, "zh-Hant"),
    ("zh-MO", None, "zh-Hant"),
    ("zh", None, "zh-Hans"),
    ("zh-Hant", None, "zh-Hant"),
    ("zh-hans", None, "zh-Hans"),
    ("zh-Hans-HK", None, "zh-Hans"),
    ("zh-Hant-CN", None, "zh-Hant"),
    (None, "zh-TW,zh;q=0.9,en;q=0.5", "zh-Hant"),
    (None, "zh-CN,zh;q=0.9", "zh-Hans"),
    # Filipino is the standard form of Tagalog.
    ("fil", None, "tl"),
    ("fil-PH", None, "tl"),
    ("tl-PH", None, "tl"),
    (None, "fil-PH,fil;q=0.9", "tl"),
    ("es-419", None, "es"),
    ("vi-VN", None, "vi"),
    ("ko-KR", None, "ko"),
    ("ar-EG", None, "ar"),
    (None, "ar-SA,ar;q=0.9,en;q=0.8", "ar"),
    ("ru-RU", None, "ru"),
    ("fr-CA", None, "fr"),
    (None, "fr-HT,ht;q=0.9", "fr"),
    # Unsupported languages fall back, in order, to what the browser also accepts.
    (None, "pt-BR,pt;q=0.9,es;q=0.8", "es"),
    (None, "ht,fr;q=0.8", "fr"),
    (None, "hmn,lo;q=0.9", "en"),
    ("so", "ar", "ar"),
]


@pytest.mark.parametrize(("lang", "accept", "expected"), CASES)
def test_locale_negotiation_table(
    client: FlaskClient, lang: str | None, accept: str | None, expected: str
) -> None:
    query = {} if lang is None else {"lang": lang}
    headers = dict(HTMX)
    if accept is not None:
        headers["Accept-Language"] = accept
    response = client.get("/widgets/helpline-banner", query_string=query, headers=headers)
    assert response.status_code == 200, "an unsupported language is never an error"
    assert response.headers["Content-Language"] == expected
    assert fragment_root(response.get_data(as_text=True))["lang"] == expected


def test_partner_default_comes_after_lang_and_before_accept_language() -> None:
    assert negotiate_locale(None, "en", partner_default="es") == "es"
    assert negotiate_locale("en", None, partner_default="es") == "en"
    assert negotiate_locale(None, "es", partner_default="pt") == "es"


@pytest.mark.parametrize("tag", [None, "", "-", "es--MX", "1234", "es MX", "é"])
def test_tags_that_are_not_bcp47_match_nothing(tag: str | None) -> None:
    assert match_locale(tag) is None
