"""The request log: one JSON line per request, and nothing in it that identifies a visitor."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from tests.feedback import FORM, stored
from tests.helpers import HTMX, parse
from widget import create_app

FIELDS = {
    "time",
    "request_id",
    "method",
    "path",
    "endpoint",
    "status",
    "duration_ms",
    "bytes",
    "locale",
    "htmx",
}
# What a visitor of a health page must never find in our logs.
VISITOR_ADDRESS = "198.51.100.23"
FORWARDED_FOR = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (Linux; Android 14; RoeFamilyTablet) Chrome/130"
REFERER = "https://clinic.example/patients/jane-roe/overdose-plan"
COOKIE = "sid=roe-secret-cookie-4417"
PAGE = "https://clinic.example/help/kratom?patient=Jane+Roe&dob=1990-04-01"
COMMENT = "I am Jane Roe, call 555-867-5309 or jane.roe@example.org"
NEVER_LOGGED = [
    VISITOR_ADDRESS,
    FORWARDED_FOR,
    "RoeFamilyTablet",
    "Android",
    "jane-roe",
    "overdose-plan",
    "roe-secret-cookie",
    "sid=",
    "patient",
    "Jane",
    "1990-04-01",
    "clinic.example",
    "555-867-5309",
    "jane.roe@example.org",
    "?",
    "kratom",  # only in the page parameter: the form's own path says nothing of it
]


def log_lines(captured: str) -> list[dict]:
    """The JSON lines written to stderr (each line must be one whole JSON object)."""
    lines = [line for line in captured.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert all(isinstance(record, dict) for record in records)
    return records


def check_common_fields(record: dict, response) -> None:
    assert set(record) == FIELDS
    assert re.fullmatch(r"[0-9a-f]{32}", record["request_id"])
    when = datetime.fromisoformat(record["time"].replace("Z", "+00:00"))
    assert record["time"].endswith("Z")
    assert abs(datetime.now(UTC) - when) < timedelta(seconds=30)
    assert isinstance(record["duration_ms"], float)
    assert 0 < record["duration_ms"] < 30_000
    assert record["status"] == response.status_code
    assert record["bytes"] == len(response.get_data())
    assert record["locale"] == response.headers.get("Content-Language")


def test_personal_data_in_query_headers_and_form_never_reaches_the_log(
    make_app, capsys: pytest.CaptureFixture[str]
) -> None:
    # Behind one trusted proxy, as in production: X-Forwarded-For becomes the
    # client address the app sees, and still must not be logged.
    app = make_app(PROXY_COUNT=1)
    client = app.test_client()
    client.environ_base.update(
        REMOTE_ADDR=VISITOR_ADDRESS,
        HTTP_X_FORWARDED_FOR=FORWARDED_FOR,
        HTTP_USER_AGENT=USER_AGENT,
        HTTP_REFERER=REFERER,
        HTTP_COOKIE=COOKIE,
    )
    shown = client.get(f"{FORM}?lang=es&page={PAGE}", headers=HTMX)
    assert shown.status_code == 200
    form = parse(shown.get_data(as_text=True)).find("form")
    hidden = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
    posted = client.post(
        f"{FORM}?lang=es&page={PAGE}",
        data={**hidden, "helpful": "yes", "comment": COMMENT, "page": PAGE},
    )
    assert posted.status_code == 303
    # The post really went through: the row is there (redacted by the store).
    assert len(stored(app)) == 1

    captured = capsys.readouterr().err
    for secret in NEVER_LOGGED:
        assert secret not in captured, f"{secret!r} was logged"
    get_line, post_line = log_lines(captured)

    check_common_fields(get_line, shown)
    assert get_line["method"] == "GET"
    assert get_line["path"] == FORM
    assert get_line["endpoint"] == "feedback.form"
    assert get_line["locale"] == "es"
    assert get_line["htmx"] is True

    check_common_fields(post_line, posted)
    assert post_line["method"] == "POST"
    assert post_line["path"] == FORM
    assert post_line["endpoint"] == "feedback.submit"
    assert post_line["status"] == 303
    assert post_line["htmx"] is False
    assert post_line["request_id"] != get_line["request_id"]


def test_each_widget_request_writes_exactly_one_line_with_its_endpoint_and_locale(
    app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    client = app.test_client()
    banner = client.get("/widgets/helpline-banner", headers={"Accept-Language": "es-MX,es;q=0.9"})
    summary = client.get("/widgets/substance-summary/kratom?lang=fr", headers=HTMX)
    head = client.head("/widgets/helpline-banner?lang=vi")
    css = client.get("/static/widgets.css")
    lines = log_lines(capsys.readouterr().err)
    assert [(r["method"], r["path"], r["endpoint"], r["status"], r["locale"]) for r in lines] == [
        ("GET", "/widgets/helpline-banner", "helpline.helpline_banner", 200, "es"),
        ("GET", "/widgets/substance-summary/kratom", "substances.substance_summary", 200, "fr"),
        ("HEAD", "/widgets/helpline-banner", "helpline.helpline_banner", 200, "vi"),
        ("GET", "/static/widgets.css", "static", 200, None),
    ]
    check_common_fields(lines[0], banner)
    check_common_fields(lines[1], summary)
    assert [r["htmx"] for r in lines] == [False, True, False, False]
    # A HEAD answer sends no body, whatever its Content-Length says.
    assert head.headers["Content-Length"] != "0" and lines[2]["bytes"] == 0
    assert lines[3]["bytes"] == len(css.get_data()) > 0
    css.close()


def test_personal_data_typed_into_the_path_is_redacted(
    app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    response = app.test_client().get(
        "/widgets/substance-summary/jane.roe@example.org-555-867-5309?lang=es"
    )
    assert response.status_code == 404
    [line] = log_lines(capsys.readouterr().err)
    assert line["path"] == "/widgets/substance-summary/[email]-[phone]"
    assert line["status"] == 404
    assert line["locale"] == "es"


def test_request_id_comes_from_a_trusted_proxy_only(
    make_app, capsys: pytest.CaptureFixture[str]
) -> None:
    proxied = make_app(PROXY_COUNT=1).test_client()
    direct = make_app().test_client()
    nginx_id = "5f0c6a8e2b9d4c1fa3e7b6d2c9a1f0e4"
    proxied.get("/healthz", headers={"X-Request-ID": nginx_id})
    proxied.get("/healthz", headers={"X-Request-ID": "Jane Roe <jane.roe@example.org>"})
    direct.get("/healthz", headers={"X-Request-ID": nginx_id})
    captured = capsys.readouterr().err
    assert "Jane" not in captured
    first, second, third = log_lines(captured)
    assert first["request_id"] == nginx_id
    assert second["request_id"] != nginx_id and re.fullmatch(r"[0-9a-f]{32}", second["request_id"])
    assert third["request_id"] != nginx_id


def test_request_log_can_be_turned_off(make_app, capsys: pytest.CaptureFixture[str]) -> None:
    make_app(REQUEST_LOG=False).test_client().get("/healthz")
    assert capsys.readouterr().err == ""
    make_app(REQUEST_LOG=True).test_client().get("/healthz")
    assert len(log_lines(capsys.readouterr().err)) == 1


@pytest.mark.parametrize(("value", "lines"), [("false", 0), ("off", 0), ("true", 1)])
def test_widget_request_log_environment_variable(
    value: str,
    lines: int,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WIDGET_REQUEST_LOG", value)
    monkeypatch.setenv("WIDGET_SECRET_KEY", "env-secret")
    monkeypatch.setenv("WIDGET_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    app = create_app()
    try:
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        app.extensions["care_widgets.db"].engine.dispose()
    assert len(log_lines(capsys.readouterr().err)) == lines
