"""A database that hangs costs a visitor a few seconds and a calm 503, never a hung page.

Every wait is bounded (WIDGET_DB_TIMEOUT, 3 s by default): connecting, each
statement and lock wait, waiting for a pooled connection. /healthz gives its
own statements one second.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy
from flask import Flask

from tests.databases import postgres_database
from tests.feedback import FORM, fresh_fields, stored
from tests.helpers import HTMX, parse
from tests.processes import flock_held_elsewhere

# A frozen database must be noticed within the timeout plus some slack for a busy machine.
BOUND = 3.0 + 2.5


@pytest.fixture
def postgres_app(make_app) -> Iterator[tuple[Flask, str]]:
    with postgres_database("care_widgets_outage") as url:
        app = make_app(DATABASE_URL=url)
        assert app.test_client().get("/healthz").status_code == 200  # migrates
        yield app, url
        app.extensions["care_widgets.db"].engine.dispose()


def _frozen(url: str) -> psycopg.Connection:
    """A connection that holds both tables locked until it is closed: every write waits."""
    plain = sqlalchemy.make_url(url).set(drivername="postgresql")
    connection = psycopg.connect(plain.render_as_string(hide_password=False))
    connection.execute("LOCK TABLE feedback, used_form_tokens IN ACCESS EXCLUSIVE MODE")
    return connection


@pytest.mark.system
def test_a_post_to_a_frozen_postgresql_is_a_localized_503_within_seconds(
    postgres_app: tuple[Flask, str],
) -> None:
    app, url = postgres_app
    client = app.test_client()
    fields = fresh_fields(client, "lang=fr", htmx=True)
    lock = _frozen(url)
    try:
        started = time.monotonic()
        response = client.post(
            f"{FORM}?lang=fr",
            data={**fields, "helpful": "yes", "comment": "gardé"},
            headers=HTMX,
        )
        took = time.monotonic() - started
    finally:
        lock.close()
    assert response.status_code == 503, response.get_data(as_text=True)
    assert took < BOUND, f"took {took:.1f} s"
    assert response.headers["Retry-After"]
    html = response.get_data(as_text=True)
    soup = parse(html)
    assert "Votre avis n'a pas pu être enregistré pour le moment." in soup.get_text()
    assert soup.find("textarea").string == "gardé"
    # Safe to swap (htmx 4 swaps 5xx answers): the form's body as for a 422, no
    # document around it, the status region updated out of band.
    assert "<html" not in html and "<script" not in html
    assert soup.find(attrs={"data-hx-swap-oob": True}) is not None
    assert soup.find("form")["data-hx-post"]
    assert stored(app) == []


@pytest.mark.system
def test_healthz_answers_within_a_bound_while_postgresql_is_frozen(
    postgres_app: tuple[Flask, str],
) -> None:
    app, url = postgres_app
    lock = _frozen(url)
    try:
        started = time.monotonic()
        response = app.test_client().get("/healthz")
        took = time.monotonic() - started
    finally:
        lock.close()
    assert took < 2.5, f"took {took:.1f} s"
    assert response.status_code == 503
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["database"] == "unreachable"


@pytest.mark.system
def test_widgets_answer_while_a_post_waits_for_a_frozen_database(
    postgres_app: tuple[Flask, str],
) -> None:
    app, url = postgres_app
    fields = fresh_fields(app.test_client())
    lock = _frozen(url)
    try:
        post = threading.Thread(
            target=app.test_client().post,
            args=(FORM,),
            kwargs={"data": {**fields, "helpful": "no"}},
        )
        post.start()
        started = time.monotonic()
        page = app.test_client().get("/widgets/helpline-banner", headers=HTMX)
        took = time.monotonic() - started
        post.join(timeout=30)
    finally:
        lock.close()
    assert page.status_code == 200
    assert took < 1.5, f"the banner took {took:.1f} s behind a frozen database"


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers: a database host that froze."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for connection in held:
        connection.close()
    listener.close()


def test_a_database_host_that_never_answers_gives_503_and_healthz_within_seconds(
    make_app, silent_server: int
) -> None:
    app = make_app(DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/x")
    client = app.test_client()
    fields = fresh_fields(client)
    started = time.monotonic()
    response = client.post(FORM, data={**fields, "helpful": "yes"})
    took_post = time.monotonic() - started
    started = time.monotonic()
    health = client.get("/healthz")
    took_health = time.monotonic() - started
    assert response.status_code == 503 and took_post < BOUND, f"{took_post:.1f} s"
    assert health.status_code == 503 and took_health < BOUND, f"{took_health:.1f} s"
    assert health.get_json()["database"] == "unreachable"


def test_the_report_on_an_unreachable_database_is_a_calm_localized_503(
    make_app, silent_server: int
) -> None:
    token = "a-report-token-long-enough-for-the-outage-test"
    app = make_app(
        DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/x",
        REPORT_TOKEN=token,
    )
    started = time.monotonic()
    response = app.test_client().get(f"/feedback/report?token={token}&lang=ko")
    took = time.monotonic() - started
    assert response.status_code == 503 and took < BOUND
    assert "지금은 이용할 수 없음" in response.get_data(as_text=True)


def test_sqlite_writers_of_one_process_take_turns_and_a_turn_that_never_comes_is_a_503(
    make_app,
) -> None:
    # On SQLite the threads of a process write one at a time (widget/db.py):
    # a writer waits for the one before it, and past the timeout gets the
    # same calm, localized 503 as a frozen PostgreSQL, with the comment kept.
    app = make_app(DB_TIMEOUT=0.5)
    client = app.test_client()
    database = app.extensions["care_widgets.db"]
    turn = database._write_turn
    assert turn is not None
    fields = fresh_fields(client, "lang=es", htmx=True)
    turn.acquire()  # another writer of this process, stuck
    try:
        _post_gets_a_503_with_its_comment_kept(app, client, fields)
        # Released while the next one waits: that one is stored.
        answers: list[int] = []
        waiting = threading.Thread(
            target=lambda: answers.append(
                client.post(
                    f"{FORM}?lang=es", data={**fields, "helpful": "yes"}, headers=HTMX
                ).status_code
            )
        )
        waiting.start()
        time.sleep(0.1)
        assert not answers, "it wrote while another writer had the turn"
    finally:
        turn.release()
    waiting.join(5)
    assert answers == [200]
    assert [row.helpful for row in stored(app)] == [True]


def test_postgresql_writers_need_no_turns() -> None:
    from widget.db import Database

    database = Database("postgresql+psycopg://postgres@127.0.0.1:1/none", auto_migrate=False)
    assert database._write_turn is None


def test_a_writer_of_another_process_holding_the_turn_delays_a_post_to_a_503_not_a_loss(
    make_app,
) -> None:
    # Processes of the host take turns on a flock beside the SQLite file
    # (widget/hostlock.py). Another worker that holds it past the timeout
    # costs a visitor the calm 503 with the comment kept; once it lets go,
    # the post is stored.
    from widget.hostlock import beside

    app = make_app(DB_TIMEOUT=0.5)
    client = app.test_client()
    fields = fresh_fields(client, "lang=es", htmx=True)
    database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    with flock_held_elsewhere(beside(database, "writers")):
        _post_gets_a_503_with_its_comment_kept(app, client, fields)
    posted = client.post(f"{FORM}?lang=es", data={**fields, "helpful": "yes"}, headers=HTMX)
    assert posted.status_code == 200
    assert [row.helpful for row in stored(app)] == [True]


def _post_gets_a_503_with_its_comment_kept(app, client, fields: dict[str, str]) -> None:
    """A post while another writer has the turn: the calm 503, comment kept, nothing stored."""
    stuck = client.post(
        f"{FORM}?lang=es",
        data={**fields, "helpful": "yes", "comment": "guardado"},
        headers=HTMX,
    )
    assert stuck.status_code == 503, stuck.get_data(as_text=True)
    assert parse(stuck.get_data(as_text=True)).find("textarea").string == "guardado"
    assert stored(app) == []
