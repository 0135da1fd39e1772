"""Feedback storage on SQLite and on PostgreSQL: rows, export, report, concurrency."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.feedback import FORM, fresh_fields, stored
from tests.helpers import parse

# Long enough for the service to start with it (at least 32 characters).
REPORT_TOKEN = "report-token-for-the-storage-tests"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"


def _postgres_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN):
            return None
    except Exception as error:  # noqa: BLE001 (any failure means: not here)
        return f"no PostgreSQL at 127.0.0.1:5432 (user postgres, database test): {error}"


PG_MISSING = _postgres_available()


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh database on the running PostgreSQL, dropped afterwards."""
    if PG_MISSING:
        pytest.skip(PG_MISSING)
    import psycopg

    name = f"care_widgets_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.system)])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'feedback.sqlite3'}"
    url = request.getfixturevalue("postgres_url")
    # Each test starts from an empty table.
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.text("DROP TABLE IF EXISTS feedback, used_form_tokens, alembic_version")
        )
    engine.dispose()
    return url


@pytest.fixture
def storage_app(make_app):
    """An app on a given database, rate limits off, the report open with a token."""

    def build(url: str, **extra) -> Flask:
        settings = {"DATABASE_URL": url, "RATE_LIMIT": "off", "REPORT_TOKEN": REPORT_TOKEN}
        return make_app(**{**settings, **extra})

    return build


def submit(app: Flask, helpful: str, comment: str = "", lang: str = "en", page: str = "") -> None:
    client = app.test_client()
    fields = fresh_fields(client, f"lang={lang}")
    data = {**fields, "helpful": helpful, "comment": comment, "page": page}
    assert client.post(f"{FORM}?lang={lang}", data=data).status_code == 303


def test_a_row_holds_exactly_the_design_fields(backend_url: str, storage_app) -> None:
    app = storage_app(backend_url)
    submit(app, "yes", "Call me at 555-123-4567", "es", "https://c.example/p?id=9#x")
    [row] = stored(app)
    assert row.page == "https://c.example/p"
    assert row.locale == "es"
    assert row.helpful is True
    assert row.comment == "Call me at [phone]"
    assert row.redactions == 1
    assert row.partner is None
    assert row.created_at.utcoffset() in (None, __import__("datetime").timedelta(0))
    assert {c.name for c in row.__table__.columns} == {
        "id", "created_at", "page", "partner", "locale", "helpful", "comment", "redactions"
    }  # fmt: skip


def test_export_writes_csv_and_json_with_filters(backend_url: str, storage_app) -> None:
    app = storage_app(backend_url)
    submit(app, "yes", "great")
    submit(app, "no", "", "es")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["feedback", "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert [(r["helpful"], r["comment"], r["locale"]) for r in records] == [
        (True, "great", "en"),
        (False, None, "es"),
    ]
    result = runner.invoke(args=["feedback", "export", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 2 and rows[0]["comment"] == "great"
    assert (
        len(json.loads(runner.invoke(args=["feedback", "export", "--format", "json"]).output)) == 2
    )
    submit(app, "no", '=HYPERLINK("https://evil.example","Open")')
    result = runner.invoke(args=["feedback", "export", "--format", "csv"])
    last = list(csv.DictReader(io.StringIO(result.output)))[-1]
    # A spreadsheet must show the comment, not run it.
    assert last["comment"] == '\'=HYPERLINK("https://evil.example","Open")'
    future = runner.invoke(args=["feedback", "export", "--format", "json", "--since", "2999-01-01"])
    assert json.loads(future.output) == []
    partner = runner.invoke(args=["feedback", "export", "--format", "json", "--partner", "x"])
    assert json.loads(partner.output) == []


def test_report_shows_answers_and_share_of_yes_behind_a_token(
    backend_url: str, storage_app
) -> None:
    app = storage_app(backend_url)
    for helpful in ("yes", "yes", "no"):
        submit(app, helpful, page="https://c.example/kratom")
    client = app.test_client()
    assert client.get("/feedback/report").status_code == 404
    assert client.get("/feedback/report?token=wrong").status_code == 404
    response = client.get("/feedback/report", headers={"Authorization": f"Bearer {REPORT_TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    soup = parse(response.get_data(as_text=True))
    cells = [c.get_text() for c in soup.select("tbody tr")[0].find_all(["th", "td"])]
    assert cells == ["https://c.example/kratom", "en", "3", "2", "67%"]
    svg = soup.find("svg")
    assert svg["role"] == "img"
    assert soup.find(id="report-chart-title").get_text().startswith("Share of")


def test_report_is_off_without_a_configured_token(tmp_path: Path, storage_app) -> None:
    app = storage_app(f"sqlite:///{tmp_path / 'f.sqlite3'}", REPORT_TOKEN=None)
    assert app.test_client().get("/feedback/report?token=").status_code == 404


def test_db_upgrade_command_creates_the_schema(backend_url: str, storage_app) -> None:
    app = storage_app(backend_url, AUTO_MIGRATE=False)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert app.test_client().get("/healthz").get_json() == {
        "status": "ok",
        "database": "ok",
        # These apps run with the rate limit off.
        "rate_limit_store": "off",
    }


def test_healthz_reports_an_unreachable_database(tmp_path: Path, storage_app) -> None:
    app = storage_app("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def _post_one(origin: str, index: int) -> int:
    with urllib.request.urlopen(f"{origin}{FORM}", timeout=30) as response:
        html = response.read().decode()
    fields = dict(re.findall(r'name="(token|uid|page)" value="([^"]*)"', html))
    data = {**fields, "helpful": "yes" if index % 2 else "no", "comment": f"note {index}"}
    request = urllib.request.Request(
        f"{origin}{FORM}", data=urllib.parse.urlencode(data).encode(), method="POST"
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_500_submissions_from_20_clients_store_exactly_500_rows(
    backend_url: str, storage_app
) -> None:
    app = storage_app(backend_url)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_port}"
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(lambda i: _post_one(origin, i), range(500)))
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert codes.count(303) == 500, {code: codes.count(code) for code in set(codes)}
    rows = stored(app)
    assert len(rows) == 500
    assert sorted(int(row.comment.split()[1]) for row in rows) == list(range(500))
