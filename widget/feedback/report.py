"""The feedback report for editors: answers and share of "yes" per page and locale."""

from __future__ import annotations

import hashlib
import hmac
import sys
from dataclasses import dataclass

from flask import Blueprint, Flask, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import case, func, select
from werkzeug.exceptions import TooManyRequests

from widget.db import database
from widget.feedback.limitstores import make_backend
from widget.feedback.models import Feedback
from widget.feedback.ratelimit import RateLimit, client_address, host_file

bp = Blueprint("feedback_report", __name__)
# Wrong tokens a client may send before it is refused for a while (429).
WRONG_TOKEN_LIMIT = "10/hour"
# A token anyone could guess opens every visitor's comments: refuse to start with one.
MIN_TOKEN_LENGTH = 32
EXTENSION = "care_widgets.report_attempts"


class ConfigurationError(SystemExit):
    """A setting the service must not start with; its message is one line for the operator.

    A SystemExit with status 1: the process stops after printing that line to
    stderr (no stack trace to read through, whatever server or command runs it).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        print(message, file=sys.stderr, flush=True)
        self.code = 1


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
    """The report page; 404 when no token is configured or the token is wrong.

    A client that keeps guessing is refused (429) for a while, right token or not.
    """
    attempts: RateLimit = current_app.extensions[EXTENSION]
    address = client_address()
    if attempts.exhausted(address):
        raise TooManyRequests(retry_after=attempts.retry_after(address))
    if not _authorized():
        attempts.allow(address)
        # Not 401/403: the report's existence is not advertised.
        abort(404)
    rows = report_rows()
    response = current_app.make_response(render_template("feedback/report.html", rows=rows))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def check_token(app: Flask) -> None:
    """Stop start-up when WIDGET_REPORT_TOKEN is set but too short to be secret."""
    token = app.config.get("REPORT_TOKEN")
    if token and len(str(token)) < MIN_TOKEN_LENGTH:
        raise ConfigurationError(
            f"WIDGET_REPORT_TOKEN is {len(str(token))} characters long; it must have at least "
            f"{MIN_TOKEN_LENGTH} (make one with: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'), or leave it unset to turn the report off"
        )


def init_app(app: Flask) -> None:
    """Check the token and count wrong ones on the rate limit's storage."""
    check_token(app)
    salt = hashlib.sha256(("report:" + app.config["SECRET_KEY"]).encode()).hexdigest()
    url = str(app.config.get("RATE_LIMIT_STORAGE_URL") or "host")
    app.extensions[EXTENSION] = RateLimit(
        WRONG_TOKEN_LIMIT, make_backend(url, host_file(app)), salt, scope="report"
    )
    app.register_blueprint(bp)
