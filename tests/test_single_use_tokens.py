"""A form token stores one answer, once, on every worker and host sharing the database.

What a visitor sees when a token comes back:
- the same post again (a double click, a resend after a lost answer): the same
  success as the first time, and nothing stored twice;
- a spent token with another answer (a script replaying it): a 422 in the
  visitor's language, the form shown again with the text and a fresh token,
  nothing stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask

from tests.databases import postgres_database
from tests.feedback import FORM, fresh_fields, stored
from tests.helpers import HTMX, parse
from tests.processes import form_fields, http, services


def test_a_double_submit_of_the_same_answer_looks_like_success_and_is_stored_once(
    app: Flask,
) -> None:
    client = app.test_client()
    fields = fresh_fields(client, "lang=es")
    post = {**fields, "helpful": "no", "comment": "Faltan horarios"}
    first = client.post(f"{FORM}?lang=es", data=post)
    second = client.post(f"{FORM}?lang=es", data=post)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert "state=thanks" in second.headers["Location"]
    assert [(row.helpful, row.comment) for row in stored(app)] == [(False, "Faltan horarios")]


def test_a_double_submit_under_htmx_gets_the_same_comment_step(app: Flask) -> None:
    client = app.test_client()
    fields = fresh_fields(client, htmx=True)
    post = {**fields, "helpful": "yes"}
    answers = [client.post(FORM, data=post, headers=HTMX) for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    for answer in answers:
        soup = parse(answer.get_data(as_text=True))
        # The comment step, tied to the one stored answer.
        assert soup.find("textarea") is not None
        assert soup.find("input", attrs={"name": "entry"})["value"]
    assert len(stored(app)) == 1


def test_a_replayed_token_with_another_answer_stores_nothing_and_says_why(app: Flask) -> None:
    client = app.test_client()
    fields = fresh_fields(client, "lang=es")
    assert client.post(f"{FORM}?lang=es", data={**fields, "helpful": "yes"}).status_code == 303
    replay = client.post(f"{FORM}?lang=es", data={**fields, "helpful": "no", "comment": "otra vez"})
    assert replay.status_code == 422
    soup = parse(replay.get_data(as_text=True))
    assert "Este formulario ya se envió." in soup.get_text()
    # The visitor's text comes back, with a new token to send it with.
    assert soup.find("textarea").string == "otra vez"
    assert soup.find("input", attrs={"name": "token"})["value"] != fields["token"]
    assert [row.helpful for row in stored(app)] == [True]


def test_a_comment_sent_twice_with_one_token_is_stored_once(app: Flask) -> None:
    client = app.test_client()
    fields = fresh_fields(client, htmx=True)
    swap = client.post(FORM, data={**fields, "helpful": "yes"}, headers=HTMX)
    comment_form = parse(swap.get_data(as_text=True))
    entry = comment_form.find("input", attrs={"name": "entry"})["value"]
    token = comment_form.find("input", attrs={"name": "token"})["value"]
    post = {**fields, "token": token, "entry": entry, "comment": "clear page"}
    assert client.post(FORM, data=post, headers=HTMX).status_code == 200
    again = client.post(FORM, data=post, headers=HTMX)
    assert again.status_code == 200
    assert "Thank you for your feedback." in again.get_data(as_text=True)
    changed = client.post(FORM, data={**post, "comment": "changed"}, headers=HTMX)
    assert changed.status_code == 422
    assert [row.comment for row in stored(app)] == ["clear page"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.system)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    with postgres_database("care_widgets_tokens") as url:
        yield url


def _count_rows(url: str) -> int:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sqlalchemy.text("SELECT COUNT(*) FROM feedback")).scalar()
    engine.dispose()
    return count


@pytest.mark.system
def test_fifty_replays_across_three_processes_store_one_row(
    database_url: str, tmp_path: Path
) -> None:
    settings = {
        "WIDGET_DATABASE_URL": database_url,
        "WIDGET_SECRET_KEY": "shared-secret-of-the-hosts",
        "WIDGET_RATE_LIMIT": "off",
        "WIDGET_REQUEST_LOG": "false",
    }
    with services(3, tmp_path, **settings) as running:
        fields = form_fields(running[0].origin)

        def replay(index: int) -> int:
            origin = running[index % len(running)].origin
            data = {**fields, "helpful": "yes", "comment": f"replay {index}"}
            return http(f"{origin}{FORM}", data)[0]

        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(replay, range(50)))
    assert sorted(statuses) == [303] + [422] * 49
    assert _count_rows(database_url) == 1
