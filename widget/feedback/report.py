"""The feedback report for editors: answers and share of "yes" per page and locale."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import case, func, select

from widget.db import database
from widget.feedback.models import Feedback

bp = Blueprint("feedback_report", __name__)


@dataclass(frozen=True)
class ReportRow:
    """Answers for one page in one locale."""

    page: str
    locale: str
    answers: int
    yes: int

    @property
    def yes_share(self) -> float:
        """Share of "yes" answers, 0 to 1."""
        return self.yes / self.answers if self.answers else 0.0


def report_rows() -> list[ReportRow]:
    """Per page and locale, the number of answers and of "yes"."""
    query = (
        select(
            Feedback.page,
            Feedback.locale,
            func.count(Feedback.id),
            func.sum(case((Feedback.helpful.is_(True), 1), else_=0)),
        )
        .group_by(Feedback.page, Feedback.locale)
        .order_by(func.count(Feedback.id).desc(), Feedback.page, Feedback.locale)
    )
    with database().session() as session:
        result = session.execute(query)
        return [
            ReportRow(page, locale, count, int(yes or 0)) for page, locale, count, yes in result
        ]


def _authorized() -> bool:
    expected = current_app.config.get("REPORT_TOKEN")
    if not expected:
        return False
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    given = given or request.args.get("token", "")
    return hmac.compare_digest(given.encode(), str(expected).encode())


@bp.get("/feedback/report")
def report() -> ResponseReturnValue:
    """The report page; 404 when no token is configured or the token is wrong."""
    if not _authorized():
        # Not 401/403: the report's existence is not advertised.
        abort(404)
    rows = report_rows()
    response = current_app.make_response(render_template("feedback/report.html", rows=rows))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
