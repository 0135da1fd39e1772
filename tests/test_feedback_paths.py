"""The feedback form without htmx (an iframe, JavaScript off): focus, failures, one error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.feedback import FORM, fresh_fields, stored
from tests.helpers import FRAME, HTMX, parse

PAGE = "https://clinic.example/help"
NOT_SAVED = {
    "en": "Your feedback could not be saved just now. Please try again in a few minutes.",
    "es": "No se pudo guardar su opinión en este momento. Vuelva a intentarlo en unos minutos.",
}


def read_only_database(make_app: Callable[..., Flask], tmp_path: Path) -> str:
    """A real SQLite file with the schema, opened read-only: every write fails in SQLite."""
    path = tmp_path / "read-only.sqlite3"
    writable = make_app(DATABASE_URL=f"sqlite:///{path}")
    client = writable.test_client()
    client.post(FORM, data={**fresh_fields(client), "helpful": "yes"})
    assert len(stored(writable)) == 1
    writable.extensions["care_widgets.db"].engine.dispose()
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@pytest.fixture
def broken_client(make_app: Callable[..., Flask], tmp_path: Path) -> FlaskClient:
    """The service with its database refusing writes (as when it is down or full)."""
    return make_app(DATABASE_URL=read_only_database(make_app, tmp_path)).test_client()


def focused(html: str):
    """The elements a document marks to be focused when it loads (by the browser or widgets.js)."""
    return parse(html).select("[autofocus], [data-cw-autofocus]")


def test_after_yes_without_htmx_focus_lands_on_the_comment_box_described_by_the_status(
    client: FlaskClient,
) -> None:
    fields = fresh_fields(client, f"page={PAGE}")
    answer = client.post(FORM, data={**fields, "helpful": "yes"}, headers=FRAME)
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"], headers=FRAME).text
    soup = parse(page)
    [box] = focused(page)
    assert box.name == "textarea"
    # Browsers refuse autofocus in a cross-origin frame: widgets.js focuses it there.
    assert box.has_attr("data-cw-autofocus") and not box.has_attr("autofocus")
    status = soup.select_one("[role=status]")
    assert status.get_text(strip=True) == "Thank you. Your answer was saved."
    # Heard once, with the field: a reloaded page's live region says nothing by itself.
    assert box["aria-describedby"].split()[0] == status["id"]


def test_after_send_without_htmx_focus_lands_on_the_thanks(client: FlaskClient) -> None:
    fields = fresh_fields(client, f"page={PAGE}")
    answer = client.post(FORM, data={**fields, "helpful": "no", "comment": "clear enough"})
    page = client.get(answer.headers["Location"]).text
    [status] = focused(page)
    assert status["role"] == "status" and status["tabindex"] == "-1"
    assert status.has_attr("autofocus"), "a direct visit needs no JavaScript to focus it"
    assert status.get_text(strip=True) == "Thank you for your feedback."


def test_under_htmx_nothing_is_autofocused_and_the_status_is_not_a_description(
    client: FlaskClient,
) -> None:
    fields = fresh_fields(client, f"page={PAGE}", htmx=True)
    swap = client.post(FORM, data={**fields, "helpful": "yes"}, headers=HTMX).text
    assert not focused(swap)
    box = parse(swap).find("textarea")
    assert "status" not in box["aria-describedby"]


def test_the_first_view_of_the_form_takes_no_focus(client: FlaskClient) -> None:
    assert not focused(client.get(f"{FORM}?page={PAGE}").text)
    assert not focused(client.get(f"{FORM}?page={PAGE}", headers=FRAME).text)


@pytest.mark.parametrize("headers", [{}, FRAME, HTMX], ids=["direct", "iframe", "htmx"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_when_the_database_fails_the_form_comes_back_with_the_text(
    broken_client: FlaskClient, headers: dict[str, str], lang: str
) -> None:
    comment = "the dosage table was clear"
    fields = fresh_fields(broken_client, f"lang={lang}", htmx=headers == HTMX)
    response = broken_client.post(
        f"{FORM}?lang={lang}",
        data={**fields, "helpful": "yes", "comment": comment},
        headers=headers,
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.headers["Cache-Control"] == "no-store"
    soup = parse(response.text)
    assert soup.find("textarea").get_text() == comment
    error = soup.select_one(".cw-error-message")
    assert error.get_text(" ", strip=True).endswith(NOT_SAVED[lang])
    assert len(soup.select(".cw-error-message")) == 1
    # The visitor may send it again: a fresh form token, the answer still to choose.
    assert soup.find("input", attrs={"name": "token"})["value"]
    if headers == HTMX:
        assert not focused(response.text)
    else:
        assert focused(response.text) == [error]


def test_a_failed_comment_in_the_second_step_keeps_the_comment(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    url = read_only_database(make_app, tmp_path)
    writable = make_app(DATABASE_URL=url.replace("file:", "").split("?")[0])
    client = writable.test_client()
    answer = client.post(FORM, data={**fresh_fields(client), "helpful": "yes"})
    second = parse(client.get(answer.headers["Location"]).text)
    fields = {i["name"]: i["value"] for i in second.find_all("input", type="hidden")}
    broken = make_app(DATABASE_URL=url).test_client()
    response = broken.post(FORM, data={**fields, "comment": "more please"})
    assert response.status_code == 503
    soup = parse(response.text)
    assert soup.find("textarea").get_text() == "more please"
    assert soup.find("input", attrs={"name": "entry"})["value"] == fields["entry"]


def test_a_rejected_comment_states_its_error_once_tied_to_the_field(client: FlaskClient) -> None:
    fields = fresh_fields(client)
    response = client.post(
        FORM, data={**fields, "helpful": "yes", "comment": "x" * 120}, headers=FRAME
    )
    assert response.status_code == 422
    soup = parse(response.text)
    errors = soup.select(".cw-error-message")
    assert len(errors) == 1
    text = errors[0].get_text(" ", strip=True)
    assert soup.get_text().count(text.removeprefix("Error: ")) == 1
    box = soup.find("textarea")
    assert errors[0]["id"] in box["aria-describedby"].split()
    assert box["aria-invalid"] == "true"
    assert focused(response.text) == [box]
