"""Caching and compression as a CDN, a browser and a partner's slow network meet them."""

from __future__ import annotations

import gzip
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import HTMX
from tests.partners import example_registry, partner_app, write_registry
from widget import fragment_cache
from widget.substances.library import DEFAULT_CONTENT_DIR

BANNER = "/widgets/helpline-banner"
WIDGETS = [
    BANNER,
    f"{BANNER}?variant=crisis&lang=es",
    "/widgets/substance-summary",
    "/widgets/substance-summary/kratom?lang=ar",
]
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("url", WIDGETS)
@pytest.mark.parametrize("htmx", [True, False])
def test_a_widget_has_a_strong_etag_and_revalidates_to_304(
    client: FlaskClient, url: str, htmx: bool
) -> None:
    headers = HTMX if htmx else {}
    first = client.get(url, headers=headers)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == ("public, max-age=300, stale-while-revalidate=86400")
    assert {"HX-Request", "Accept-Language", "Accept-Encoding"} <= set(first.vary)
    again = client.get(url, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    changed = client.get(url, headers={**headers, "If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.data == first.data


def test_every_host_gives_the_same_etag_for_the_same_answer(
    make_app: Callable[..., Flask],
) -> None:
    # Several hosts behind one CDN: a copy from one revalidates on another.
    one, two = make_app().test_client(), make_app().test_client()
    for url in WIDGETS:
        assert one.get(url).headers["ETag"] == two.get(url).headers["ETag"]


def test_page_and_fragment_and_languages_are_different_representations(
    client: FlaskClient,
) -> None:
    tags = {
        client.get(BANNER).headers["ETag"],
        client.get(BANNER, headers=HTMX).headers["ETag"],
        client.get(BANNER, headers={"Accept-Language": "es"}).headers["ETag"],
    }
    assert len(tags) == 3


@pytest.mark.parametrize(
    ("url", "policy"),
    [
        ("/widgets/feedback-form", "no-store"),
        ("/healthz", "no-store"),
        ("/widgets/substance-summary/unobtainium", "no-store"),
        (f"{BANNER}?heading=9", "no-store"),
        ("/static/widgets.css", "public, max-age=3600, stale-while-revalidate=86400"),
    ],
)
def test_what_must_not_be_shared_is_not_stored(client: FlaskClient, url: str, policy: str) -> None:
    assert client.get(url).headers["Cache-Control"] == policy


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("identity", None),
        ("*", "br"),
        ("", None),
    ],
)
def test_answers_are_compressed_as_the_client_accepts(
    client: FlaskClient, accept: str, coding: str | None
) -> None:
    plain = client.get("/widgets/substance-summary/kratom", headers=HTMX).data
    response = client.get(
        "/widgets/substance-summary/kratom", headers={**HTMX, "Accept-Encoding": accept}
    )
    assert response.headers.get("Content-Encoding") == coding
    body = response.data
    if coding == "br":
        body = brotli.decompress(body)
    elif coding == "gzip":
        body = gzip.decompress(body)
    assert body == plain
    if coding:
        assert len(response.data) < len(plain) / 2
        assert response.headers["ETag"].endswith(f'-{coding}"')
        again = client.get(
            "/widgets/substance-summary/kratom",
            headers={**HTMX, "Accept-Encoding": accept, "If-None-Match": response.headers["ETag"]},
        )
        assert again.status_code == 304


def test_the_stylesheet_is_cacheable_and_compressed(client: FlaskClient) -> None:
    response = client.get("/static/widgets.css", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == (ROOT / "static/widgets.css").read_bytes()
    again = client.get(
        "/static/widgets.css",
        headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_rendered_widgets_are_served_from_memory(app: Flask, client: FlaskClient) -> None:
    store = app.extensions[fragment_cache.EXTENSION]
    first = client.get(BANNER, headers=HTMX).data
    misses = store.misses
    assert client.get(BANNER, headers=HTMX).data == first
    assert store.hits >= 1 and store.misses == misses
    # Another host name in absolute links is another entry.
    other = client.get("/widgets/substance-summary", base_url="https://widgets.example")
    assert b"https://widgets.example/widgets/substance-summary/" in other.data


def touch_later(path: Path) -> None:
    later = time.time() + 5
    os.utime(path, (later, later))


def test_an_edited_summary_replaces_the_cached_one(
    make_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    client = make_app(SUBSTANCE_CONTENT_DIR=str(content)).test_client()
    monkeypatch.setattr(fragment_cache, "CHECK_EVERY", 0.0)
    url = "/widgets/substance-summary/kratom"
    assert b"Kratom" in client.get(url, headers=HTMX).data
    source = content / "kratom" / "en.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["name"] = "Kratom (edited)"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    touch_later(source)
    assert b"Kratom (edited)" in client.get(url, headers=HTMX).data


def test_a_broken_edit_keeps_the_last_good_content(
    make_app: Callable[..., Flask],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    client = make_app(SUBSTANCE_CONTENT_DIR=str(content)).test_client()
    monkeypatch.setattr(fragment_cache, "CHECK_EVERY", 0.0)
    url = "/widgets/substance-summary/kratom"
    before = client.get(url, headers=HTMX).data
    source = content / "kratom" / "en.yaml"
    source.write_text("name: [unclosed", encoding="utf-8")
    touch_later(source)
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200 and response.data == before
    assert "cannot be used; keeping the previous one" in caplog.text


def test_an_edited_registry_changes_the_partner_line_and_theme(
    make_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = partner_app(make_app, tmp_path)
    client = app.test_client()
    monkeypatch.setattr(fragment_cache, "CHECK_EVERY", 0.0)
    url = f"{BANNER}?partner=riverside-clinic"
    assert b"Riverside Clinic intake line" in client.get(url, headers=HTMX).data
    data = example_registry()
    data["partners"][0]["helplines"][0]["name"]["en"] = "Riverside Clinic front desk"
    data["partners"][0]["theme"]["brand"] = "#1d4f91"
    touch_later(write_registry(tmp_path, data))
    assert b"Riverside Clinic front desk" in client.get(url, headers=HTMX).data
    assert b"#1d4f91" in client.get("/partners/riverside-clinic/theme.css").data
