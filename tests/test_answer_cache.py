"""The hit path: a repeated widget request is answered from memory, exactly as Flask answered it."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import HTMX, parse
from tests.partners import partner_app
from widget import fragment_cache

BANNER = "/widgets/helpline-banner"
SUMMARY = "/widgets/substance-summary/kratom"


def answer(client: FlaskClient, url: str, **headers: str):
    response = client.get(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    kept = [(k, v) for k, v in response.headers.items() if k != "Date"]
    return response.status_code, kept, response.get_data()


def store(app: Flask) -> fragment_cache.FragmentCache:
    return app.extensions[fragment_cache.EXTENSION]


@pytest.mark.parametrize("encoding", ["", "gzip", "br", "gzip, deflate, br, zstd"])
@pytest.mark.parametrize("htmx", ["true", ""])
@pytest.mark.parametrize("url", [BANNER, SUMMARY, f"{BANNER}?variant=crisis&switcher=true"])
def test_a_repeated_request_gets_the_same_status_headers_and_bytes(
    app: Flask, client: FlaskClient, url: str, encoding: str, htmx: str
) -> None:
    headers = {
        "HX_Request": htmx,
        "Accept_Language": "es-MX,es;q=0.9",
        "Accept_Encoding": encoding,
    }
    first = answer(client, url, **headers)
    hits = store(app).hits
    again = answer(client, url, **headers)
    assert store(app).hits == hits + 1, "the second answer came from memory"
    assert len(store(app).answers.entries) == 1, "kept whole, headers and all"
    assert again == first
    assert dict(first[1])["Content-Language"] == "es"


def test_the_locale_key_is_the_negotiated_one_not_the_raw_header(
    app: Flask, client: FlaskClient
) -> None:
    spanish = answer(client, BANNER, Accept_Language="es-MX,es;q=0.9")
    hits = store(app).hits
    # Another header asking for Spanish first: the same answer, from memory.
    assert answer(client, BANNER, Accept_Language="es-ES,es;q=0.8,en;q=0.5") == spanish
    assert store(app).hits == hits + 1
    french = answer(client, BANNER, Accept_Language="fr-CA,fr;q=0.9")
    assert dict(french[1])["Content-Language"] == "fr"
    # lang comes before Accept-Language, in memory too.
    assert (
        dict(answer(client, f"{BANNER}?lang=ko", Accept_Language="fr")[1])["Content-Language"]
        == "ko"
    )


def test_revalidation_and_head_are_answered_from_memory(app: Flask, client: FlaskClient) -> None:
    status, headers, _ = answer(client, BANNER, **{"HX_Request": "true"})
    etag = dict(headers)["ETag"]
    hits = store(app).hits
    response = client.get(BANNER, headers={**HTMX, "If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag and "Content-Length" not in response.headers
    other = client.get(BANNER, headers={**HTMX, "If-None-Match": '"other"'})
    assert other.status_code == 200 and other.data
    head = client.head(BANNER, headers=HTMX)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == dict(headers)["Content-Length"]
    assert store(app).hits == hits + 3


def test_a_partners_widget_is_granted_to_its_own_origin_only_also_from_memory(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    client = partner_app(make_app, tmp_path).test_client()
    url = f"{BANNER}?partner=riverside-clinic"
    own = "https://www.riverside-clinic.example"
    for _ in range(2):
        allowed = client.get(url, headers={**HTMX, "Origin": own})
        stranger = client.get(url, headers={**HTMX, "Origin": "https://stranger.example"})
        assert allowed.headers["Access-Control-Allow-Origin"] == own
        assert "Access-Control-Allow-Origin" not in stranger.headers
        assert "Origin" in allowed.headers["Vary"]


def test_parameters_no_widget_reads_stay_out_of_links_and_the_cache(
    app: Flask, client: FlaskClient
) -> None:
    url = f"{BANNER}?switcher=true&utm_source=newsletter&junk={'x' * 600}"
    html = client.get(url, headers=HTMX).get_data(as_text=True)
    links = [a["href"] for a in parse(html).select("a.cw-switcher__link")]
    assert len(links) == 10, "the switcher links every language"
    assert all("utm_source" not in link and "junk" not in link for link in links)
    assert all("switcher=true" in link for link in links)
    entries = len(store(app).answers.entries) + len(store(app).bodies.entries)
    for n in range(20):
        again = client.get(f"{BANNER}?switcher=true&utm_source={n}&junk={n}", headers=HTMX)
        assert again.get_data(as_text=True) == html
    assert len(store(app).answers.entries) + len(store(app).bodies.entries) == entries


def test_memory_is_bounded_in_bytes_whatever_the_addresses(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(FRAGMENT_CACHE_MB=0.25)
    client = app.test_client()
    cache = store(app)
    # lang is read (an unsupported one falls back), so each is its own address.
    for _ in range(150):
        junk = secrets.token_hex(1500)
        url = f"{BANNER}?switcher=true&lang=x-{junk[:8]}&variant=full&lang={junk}"
        response = client.get(url, headers=HTMX)
        assert response.status_code == 200
    assert 0 < cache.bodies.used <= cache.bodies.limit
    assert cache.answers.used <= cache.answers.limit
    assert len(cache.bodies.entries) < 150


FORM = "/widgets/feedback-form"
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def test_the_feedback_form_is_answered_from_memory_with_a_fresh_token_each_time(
    app: Flask, client: FlaskClient
) -> None:
    headers = {"HX_Request": "true", "Accept_Language": "es-MX,es;q=0.9"}
    url = f"{FORM}?page=https://clinic.example/naloxone"
    first = answer(client, url, **headers)
    hits = store(app).hits
    second = answer(client, url, **headers)
    third = answer(client, url, **headers)
    assert store(app).hits == hits + 2, "the form came from memory"
    tokens = [TOKEN.search(body.decode()).group(1) for _, _, body in (first, second, third)]
    assert len(set(tokens)) == 3, "every visitor gets a token of their own"
    # Apart from the token: the same status, headers and bytes as Flask's answer.
    for status, kept, body in (second, third):
        assert status == first[0] == 200
        assert dict(kept) == {**dict(first[1]), "Content-Length": str(len(body))}
        assert TOKEN.sub("", body.decode()) == TOKEN.sub("", first[2].decode())
        assert dict(kept)["Cache-Control"] == "no-store"
    # No token is ever kept: what memory holds has the slot where each token was.
    kept_bodies = [entry.body for entry, _ in store(app).answers.entries.values()]
    assert kept_bodies and all(t.encode() not in b for t in tokens for b in kept_bodies)
    # Each token is accepted once, from memory or not.
    for token in tokens:
        posted = client.post(
            FORM, data={"token": token, "helpful": "yes", "page": "https://clinic.example/naloxone"}
        )
        assert posted.status_code == 303
    replay = client.post(FORM, data={"token": tokens[1], "helpful": "no"})
    assert replay.status_code != 303


def test_a_form_in_another_state_or_language_is_not_the_kept_first_state(
    app: Flask, client: FlaskClient
) -> None:
    start = answer(client, FORM)
    answer(client, FORM)
    thanks = answer(client, f"{FORM}?state=thanks")
    assert TOKEN.search(thanks[2].decode()) is None
    assert thanks[2] != start[2]
    french = answer(client, FORM, Accept_Language="fr")
    assert dict(french[1])["Content-Language"] == "fr"
    assert b'lang="fr"' in french[2]
