"""A production worker warms itself before its first visitor (widget/warmup.py).

What a visitor would notice: no request of the warm-up shows in the request
log, the schema and the rate-limit store are ready before the first post, a
database that does not answer at start-up costs nothing but a warning, and
what the warm-up loaded is out of the garbage collector's sight (a full
collection walked about 120,000 objects of a warm worker, 70-130 ms during which
no thread of that worker ran).
"""

from __future__ import annotations

import gc
import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from widget.locales import KNOWN_LOCALES
from widget.warmup import warm

from .test_requestlog import log_lines

# The substance index and a summary, as the catalogue's first examples address them.
SUBSTANCE_PAGES = ("/widgets/substance-summary", "/widgets/substance-summary/kratom")


@pytest.fixture(autouse=True)
def _unfreeze() -> Iterator[None]:
    # The test process goes on after each test: leave the collector as it was.
    yield
    gc.unfreeze()


def test_warm_up_readies_the_stores_and_logs_no_request(
    make_app: Callable[..., Flask], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    limits = Path(app.config["RATE_LIMIT_HOST_FILE"])
    assert not database.exists() and not limits.exists()
    capsys.readouterr()

    warm(app)

    # The feedback table and the rate-limit file exist before any visitor posts.
    with sqlite3.connect(database) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    assert {"feedback", "used_form_tokens"} <= tables
    assert limits.exists()
    # Eighty requests were made (four addresses, ten languages, two forms), none logged.
    assert log_lines(capsys.readouterr().err) == []
    # Visitors then get every widget in the language they asked for (each
    # warm-up request had its own context; the answers kept are the right ones).
    client = app.test_client()
    paths = ("/widgets/helpline-banner", "/widgets/feedback-form", *SUBSTANCE_PAGES)
    for tag in KNOWN_LOCALES:
        for path in paths:
            for headers in ({}, {"HX-Request": "true"}):
                answer = client.get(f"{path}?lang={tag}", headers=headers)
                assert answer.status_code == 200
                assert answer.headers["Content-Language"] == tag, (path, headers)
                assert f'lang="{tag}"' in answer.get_data(as_text=True)
    # And their requests are logged as always.
    lines = log_lines(capsys.readouterr().err)
    assert len(lines) == 2 * len(paths) * len(KNOWN_LOCALES)
    assert [line["locale"] for line in lines[:: 2 * len(paths)]] == list(KNOWN_LOCALES)


def test_what_the_warm_up_loaded_is_out_of_the_collectors_sight(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    warm(app)
    frozen = gc.get_freeze_count()
    # Everything the app holds (catalogues, templates, phone metadata…) was frozen;
    # a full collection now walks only what was made since, a small part of it.
    assert frozen > 50_000
    assert len(gc.get_objects()) < frozen / 10


def test_a_database_that_does_not_answer_at_start_up_only_costs_a_warning(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/none", DB_TIMEOUT=0.5)
    with caplog.at_level(logging.WARNING, logger="widget.warmup"):
        warm(app)
    assert any("database did not answer" in r.getMessage() for r in caplog.records)
    # The worker serves: widgets as usual, a post gets the calm outage answer.
    client = app.test_client()
    assert client.get("/widgets/helpline-banner").status_code == 200
    form = client.get("/widgets/feedback-form?lang=es", headers={"HX-Request": "true"})
    token = form.get_data(as_text=True).split('name="token" value="')[1].split('"')[0]
    posted = client.post(
        "/widgets/feedback-form?lang=es",
        data={"token": token, "helpful": "yes"},
        headers={"HX-Request": "true"},
    )
    assert posted.status_code == 503
    assert "No se pudo guardar su opinión en este momento" in posted.get_data(as_text=True)
