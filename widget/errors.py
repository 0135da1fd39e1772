"""Every error is a small, localized, accessible answer: never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app, request
from flask_babel import LazyString, lazy_gettext
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from widget.arrival import top_heading_level
from widget.faultlog import log_failure, log_unexpected
from widget.linking import Link
from widget.params import DEFAULT_HEADING_LEVEL, InvalidParameter
from widget.rendering import render_widget

log = logging.getLogger(__name__)

# What a visitor reads for each status; anything else gets the generic text.
TITLES: dict[int, LazyString] = {
    400: lazy_gettext("This widget could not be shown"),
    404: lazy_gettext("Not found"),
    405: lazy_gettext("This request is not allowed"),
    413: lazy_gettext("What you sent is too long"),
    429: lazy_gettext("Too many requests"),
    501: lazy_gettext("This format is not offered"),
    503: lazy_gettext("Not available just now"),
    500: lazy_gettext("Something went wrong"),
}
MESSAGES: dict[int, LazyString] = {
    400: lazy_gettext("The address of this widget has a setting it does not understand."),
    404: lazy_gettext("There is nothing at this address. It may have moved."),
    405: lazy_gettext("This address does not accept that kind of request."),
    413: lazy_gettext("It could not be accepted. Please go back, shorten it and send it again."),
    429: lazy_gettext("Please wait a minute and try again."),
    501: lazy_gettext("This address answers in JSON only. Ask for format=json."),
    503: lazy_gettext(
        "This part of the service is not working just now. Please try again in a few minutes."
    ),
    500: lazy_gettext("Something went wrong on our side. Please try again later."),
}
# Headers of the original error worth keeping (405 must say what is allowed).
KEPT_HEADERS = ("Allow", "Retry-After")
# The app's provider of the link that calls the 988 Lifeline (set by init_app).
CRISIS_LINK = "care_widgets.crisis_link"


def _heading_level() -> int:
    # The error may be about the heading itself: fall back, never raise again.
    try:
        return top_heading_level(request.args)
    except (InvalidParameter, ValueError):
        return DEFAULT_HEADING_LEVEL


def render_error(status: int, message: str | LazyString | None = None) -> Response:
    """A localized error widget with the given status."""
    title = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    text = message or MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    return render_widget(
        "error.html",
        title=str(title),
        status=status,
        # str(): Flask-Babel's lazy strings declare themselves safe HTML, so
        # a message holding what the visitor typed must be plain text to be escaped.
        heading=str(title),
        message=str(text),
        level=_heading_level(),
        crisis_link=current_app.extensions[CRISIS_LINK](),
        switcher=False,
    )


def handle_http_error(error: HTTPException) -> Response:
    """Render a werkzeug HTTP error in the visitor's language."""
    status = error.code or 500
    message = error.message if isinstance(error, InvalidParameter) else None
    response = render_error(status, message)
    original = error.get_response()
    for name in KEPT_HEADERS:
        if name in original.headers:
            response.headers[name] = original.headers[name]
    return response


def handle_database_error(error: SQLAlchemyError) -> Response:
    """The database failed or is too slow: a calm 503 (the log gets the class, not the message)."""
    log_failure(log, f"database access on {request.method} {request.endpoint}", error)
    return handle_http_error(ServiceUnavailable())


def handle_unexpected(error: Exception) -> Response:
    """Log the failure for operators; show the visitor a calm message."""
    log_unexpected(log, f"{request.method} {request.endpoint}", error)
    return handle_http_error(InternalServerError())


def init_app(app: Flask, crisis_link: Callable[[], Link]) -> None:
    """Register the error handlers; every error page offers `crisis_link()` (the 988 call link,
    from the helpline facts: widget/helpline/banner_context.py)."""
    app.extensions[CRISIS_LINK] = crisis_link
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(SQLAlchemyError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
