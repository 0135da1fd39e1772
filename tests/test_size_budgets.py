"""Size budgets (issue 8): what a visitor on a cheap phone plan downloads."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.helpers import HTMX
from widget.locales import KNOWN_LOCALES

STATIC = Path(__file__).resolve().parents[1] / "static"
WIDGET_SCRIPTS = ("widgets.js", "frame.js", "embed.js")
KB = 1024


def test_the_default_banner_fragment_is_at_most_3_kb(client: FlaskClient) -> None:
    size = len(client.get("/widgets/helpline-banner", headers=HTMX).data)
    assert size <= 3 * KB, f"{size} bytes"


@pytest.mark.parametrize("lang", KNOWN_LOCALES)
def test_the_banner_fragment_is_at_most_3_5_k_characters_in_every_language(
    client: FlaskClient, lang: str
) -> None:
    # Arabic, Chinese, Korean, Russian and Vietnamese letters take two or three
    # bytes each in UTF-8: the same markup and text length, more bytes.
    # 3.5 K since issue 14: the 988 facts a caller needs before dialling
    # (interpreters on calls only, text and chat in English and Spanish, the
    # Veterans Crisis Line chat, ASL for deaf callers) made the longest
    # translations (French, Vietnamese) about 3.4 K characters; English stays
    # under the 3 KB above.
    text = client.get("/widgets/helpline-banner", query_string={"lang": lang}, headers=HTMX).text
    assert len(text) <= 3.5 * KB, f"{len(text)} characters"


def test_the_stylesheet_is_at_most_15_kb() -> None:
    size = (STATIC / "widgets.css").stat().st_size
    assert size <= 15 * KB, f"{size} bytes"


def test_all_widget_javascript_is_at_most_4_kb_gzipped() -> None:
    sizes = {name: len(gzip.compress((STATIC / name).read_bytes(), 9)) for name in WIDGET_SCRIPTS}
    assert sum(sizes.values()) <= 4 * KB, sizes
    assert sizes["embed.js"] <= 2 * KB, "the partner's auto-height script alone: 2 KB"


def test_every_script_in_static_is_counted() -> None:
    # The builder's and gallery's scripts are for partner staff, not widgets.
    counted = set(WIDGET_SCRIPTS) | {"builder.js"}
    assert {path.name for path in STATIC.glob("*.js")} == counted
