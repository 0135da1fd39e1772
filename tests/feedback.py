"""Helpers for the feedback tests: fetch a form as a browser would, read the stored rows."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.helpers import HTMX, parse
from widget.feedback.models import Feedback

FORM = "/widgets/feedback-form"


def fresh_fields(client: FlaskClient, query: str = "", htmx: bool = False) -> dict[str, str]:
    """The hidden fields of a newly shown form (token, uid, page)."""
    response = client.get(f"{FORM}?{query}", headers=HTMX if htmx else {})
    assert response.status_code == 200
    form = parse(response.get_data(as_text=True)).find("form")
    return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}


def stored(app: Flask) -> list[Feedback]:
    """Every stored row, oldest first."""
    with app.app_context():
        from widget.db import database

        with database().session() as session:
            return list(session.scalars(select(Feedback).order_by(Feedback.id)))
