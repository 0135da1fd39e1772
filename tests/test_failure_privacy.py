"""A write that fails never puts what the visitor typed into a log, and loses nothing.

SQLAlchemy copies a failed statement's parameters into its exception; the
service hides them and logs only the error's class and the request id.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import sqlalchemy
from flask import Flask

from tests.databases import postgres_database
from tests.feedback import FORM, fresh_fields
from tests.helpers import parse

COMMENT = "Marisol Quintero 4711 wrote this"
PAGE = "https://clinic.example/very-private-page-8812"


def _read_only_sqlite(make_app, tmp_path: Path) -> Flask:
    """An app on an SQLite file that exists, with its schema, but opens read-only."""
    path = tmp_path / "read-only.sqlite3"
    writable = make_app(DATABASE_URL=f"sqlite:///{path}")
    assert writable.test_client().get("/healthz").status_code == 200  # migrates
    return make_app(DATABASE_URL=f"sqlite:///file:{path}?mode=ro&uri=true")


def _post_and_collect(app: Flask, caplog, capsys) -> tuple[int, str, str]:
    client = app.test_client()
    fields = fresh_fields(client, "lang=es")
    caplog.clear()
    capsys.readouterr()
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            f"{FORM}?lang=es", data={**fields, "helpful": "yes", "comment": COMMENT, "page": PAGE}
        )
    logged = "\n".join(
        record.getMessage() + (str(record.exc_info) if record.exc_info else "")
        for record in caplog.records
    )
    stderr = capsys.readouterr().err
    return response.status_code, response.get_data(as_text=True), logged + "\n" + stderr


def _assert_private_and_calm(status: int, html: str, logs: str) -> None:
    assert status == 503
    soup = parse(html)
    # The visitor keeps the text and reads, in Spanish, that it was not saved.
    assert soup.find("textarea").string == COMMENT
    assert "No se pudo guardar su opinión en este momento." in soup.get_text()
    # Nothing typed reaches any log line or stderr; the class and request id do.
    assert "Marisol" not in logs and "4711" not in logs
    assert "very-private-page" not in logs
    failure = next(line for line in logs.splitlines() if "storing feedback failed" in line)
    assert "OperationalError" in failure or "InternalError" in failure
    request_line = next(line for line in logs.splitlines() if '"method":"POST"' in line)
    assert f"request_id={json.loads(request_line)['request_id']}" in failure


def test_a_failed_write_on_read_only_sqlite_logs_nothing_typed(
    make_app, tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys
) -> None:
    app = _read_only_sqlite(make_app, tmp_path)
    _assert_private_and_calm(*_post_and_collect(app, caplog, capsys))


@pytest.mark.system
def test_a_failed_write_on_read_only_postgresql_logs_nothing_typed(
    make_app, caplog: pytest.LogCaptureFixture, capsys
) -> None:
    with postgres_database("care_widgets_readonly") as url:
        app = make_app(DATABASE_URL=url)
        assert app.test_client().get("/healthz").status_code == 200  # migrates
        app.extensions["care_widgets.db"].engine.dispose()
        name = sqlalchemy.make_url(url).database
        admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(
                sqlalchemy.text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            )
        admin.dispose()
        try:
            _assert_private_and_calm(*_post_and_collect(app, caplog, capsys))
            health = app.test_client().get("/healthz")
            assert health.status_code == 503
            assert health.get_json()["database"] == "read-only"
        finally:
            app.extensions["care_widgets.db"].engine.dispose()


def test_healthz_reports_a_read_only_sqlite_database(make_app, tmp_path: Path) -> None:
    health = _read_only_sqlite(make_app, tmp_path).test_client().get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {
        "status": "degraded",
        "database": "read-only",
        "rate_limit_store": "ok",
    }


def test_an_unexpected_error_logs_its_class_and_place_but_not_its_message(
    app: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import widget.feedback.views as views

    def broken(*_args, **_kwargs):
        raise ValueError(f"cannot handle {COMMENT}")

    monkeypatch.setattr(views, "save_answer", broken)
    client = app.test_client()
    fields = fresh_fields(client)
    with caplog.at_level(logging.ERROR):
        response = client.post(FORM, data={**fields, "helpful": "yes", "comment": COMMENT})
    assert response.status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "builtins.ValueError" in logged and "views.py" in logged
    assert "Marisol" not in logged


def test_the_engine_keeps_statement_values_out_of_its_errors(tmp_path: Path) -> None:
    from widget.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(sqlalchemy.exc.OperationalError) as failed:
        with engine.begin() as connection:
            connection.execute(
                sqlalchemy.text("INSERT INTO no_such_table (comment) VALUES (:comment)"),
                {"comment": COMMENT},
            )
    engine.dispose()
    assert "Marisol" not in str(failed.value)
    assert "parameters hidden" in str(failed.value)
