"""Whatever a browser or a script sends to any route: never a 500, never reflected markup."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from tests.feedback import fresh_fields, stored
from tests.helpers import HTMX

ROUTES = [
    "/widgets/helpline-banner",
    "/widgets/substance-summary",
    "/widgets/substance-summary/kratom",
    "/widgets/substance-summary/special-k",
    "/widgets/substance-summary/no-such-thing",
    "/widgets/feedback-form",
    "/healthz",
    "/feedback/report",
]
# Query strings aimed at every parameter, and at Flask's own url_for keywords.
QUERIES = [
    "lang=<script>x</script>",
    "heading=<img src=x onerror=alert(1)>",
    'variant="><svg onload=alert(1)>',
    "collapsible=<b>",
    "page=javascript:alert(1)",
    "state=<i>",
    "entry=<u>",
    "partner=<x>",
    "requested=x&endpoint=x&_method=POST&_anchor=<a>&_external=1&_scheme=javascript",
    "lang=" + "a" * 10_000,
    "heading=%00%01%02",
    "lang=%F0%9F%92%A5&heading=%E2%80%AE3",
    "variant=compact&variant=crisis&heading=2&heading=3",
]
MARKUP = ("<script>x", "<img src=x", "<svg onload", "<b>", "<i>", "<u>", "<x>", "<a>")


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("route", ROUTES)
def test_no_route_fails_or_reflects_markup(client: FlaskClient, route: str, query: str) -> None:
    for headers in ({}, HTMX):
        response = client.get(f"{route}?{query}", headers=headers)
        assert response.status_code < 500, (route, query, response.status_code)
        body = response.get_data(as_text=True)
        assert "Traceback" not in body
        for fragment in MARKUP:
            assert fragment not in body, (route, query, fragment)


@pytest.mark.parametrize(
    "path",
    [
        "/widgets/substance-summary/%2e%2e/%2e%2e/etc/passwd",
        "/widgets/substance-summary/" + "x" * 5000,
        "/widgets/substance-summary/%00",
        "/widgets/substance-summary/%F0%9F%92%8A",
        "/static/../widget/__init__.py",
        "/widgets/feedback-form/../../healthz",
    ],
)
def test_path_tricks_are_answered_calmly(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        assert response.status_code < 500
        assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept-Language": "\x00\x01;q=zz,,,;"},
        {"Accept-Language": "es;q=1e999"},
        {"HX-Request": "true", "HX-Current-URL": "\x00" * 100},
        {"Origin": "null"},
        {"Content-Type": "multipart/form-data; boundary=zzz"},
    ],
)
def test_odd_headers_never_fail(client: FlaskClient, headers: dict[str, str]) -> None:
    for route in ROUTES:
        assert client.get(route, headers=headers).status_code < 500
    response = client.post("/widgets/feedback-form", data=b"--zzz\r\ngarbage", headers=headers)
    assert response.status_code < 500


def _post_chunked(app: Flask, body: bytes) -> tuple[int, str]:
    """POST the body with Transfer-Encoding: chunked (no Content-Length) over real HTTP."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        chunks = (body[start : start + 4096] for start in range(0, len(body), 4096))
        connection.request(
            "POST",
            "/widgets/feedback-form",
            body=chunks,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            encode_chunked=True,
        )
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_chunked_body_over_16_kb_is_413_like_any_oversized_body(make_app) -> None:
    app = make_app()
    fields = fresh_fields(app.test_client())
    comment = "long words " * 2000
    status, html = _post_chunked(
        app, urlencode({**fields, "helpful": "yes", "comment": comment}).encode()
    )
    assert status == 413
    assert "What you sent is too long" in html
    # Nothing of the comment is echoed back cut, and nothing is stored.
    assert "long words" not in html
    assert stored(app) == []


def test_a_small_chunked_body_is_read_whole(make_app) -> None:
    app = make_app()
    fields = fresh_fields(app.test_client())
    status, _ = _post_chunked(
        app, urlencode({**fields, "helpful": "no", "comment": "sent in chunks"}).encode()
    )
    assert status == 303
    assert [row.comment for row in stored(app)] == ["sent in chunks"]
