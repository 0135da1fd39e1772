"""Routes of the feedback form: parse the request, store, answer in the right state."""

from __future__ import annotations

import logging

from flask import Blueprint, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from sqlalchemy.exc import SQLAlchemyError

from widget.arrival import is_standalone, top_heading_level
from widget.faultlog import log_failure
from widget.feedback.form_context import STATES, form_context
from widget.feedback.ratelimit import client_address, rate_limit
from widget.feedback.store import TokenReplayed, add_comment, save_answer
from widget.feedback.submission import Submission, clean_page, read_submission
from widget.feedback.tokens import (
    SpentToken,
    TokenProblem,
    check_entry_token,
    check_form_token,
    entry_token,
)
from widget.headers import is_htmx_request
from widget.i18n import current_locale
from widget.params import InvalidParameter, boolean, choice, heading_level
from widget.partners.current import current_partner
from widget.rendering import address_instance_id, render_widget

bp = Blueprint("feedback", __name__)
log = logging.getLogger(__name__)
# Seconds a visitor is asked to wait when the database is down.
RETRY_AFTER_OUTAGE = 30

# Query parameters that travel from the form's address to its action.
CARRIED = ("lang", "heading", "partner", "switcher")


def _query() -> dict[str, str]:
    return {key: request.args[key] for key in CARRIED if key in request.args}


def _focus(state: str, submission: Submission) -> str:
    """Where focus lands when a whole document answers (iframe, no JavaScript).

    Under htmx, widgets.js moves focus after the swap; a reloaded document
    has no swap, so the element is marked: `autofocus` on a direct visit
    (which needs no JavaScript), `data-cw-autofocus` in a frame, where
    browsers refuse autofocus across origins and widgets.js focuses it.
    """
    if is_htmx_request():
        return ""
    if submission.errors:
        return "comment" if "comment" in submission.errors else "error"
    # A state other than the start is only ever reached by a post.
    return {"comment": "comment", "thanks": "status"}.get(state, "")


def _render(state: str, submission: Submission, status: int = 200) -> ResponseReturnValue:
    level = top_heading_level(request.args)
    uid = request.form.get("uid", "") if request.method == "POST" else ""
    if not (uid.startswith("cw-") and len(uid) == 11 and uid[3:].isalnum()):
        uid = address_instance_id()
    context = form_context(state, submission, level, _query(), uid)
    context["focus"] = _focus(state, submission)
    context["focus_attribute"] = "autofocus" if is_standalone() else "data-cw-autofocus"
    # htmx swaps the body of the widget; the status region outside it is
    # updated in place (out of band), so screen readers announce it.
    context["swap"] = request.method == "POST" and is_htmx_request()
    response = render_widget(
        "feedback/form.html",
        title=gettext("Was this page helpful?"),
        status=status,
        scripts=("widgets.js",),
        **context,
    )
    # Every form carries its own signed token: never cache or share one.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/widgets/feedback-form")
def form() -> ResponseReturnValue:
    """The form, in the state a plain (no JavaScript) post was redirected to."""
    state = choice(request.args, "state", STATES, "start")
    page = request.args.get("page", "")
    if clean_page(page) is None:
        raise InvalidParameter(
            "page", lazy_gettext("The address of the page is not a web address.")
        )
    submission = Submission(page=clean_page(page) or "", entry=request.args.get("entry", ""))
    if state == "comment":
        try:
            check_entry_token(submission.entry)
        except TokenProblem:
            state = "thanks"
    return _render(state, submission)


@bp.post("/widgets/feedback-form")
def submit() -> ResponseReturnValue:
    """Store an answer and/or a comment; a rejected one comes back with the visitor's text."""
    # A malformed address stores nothing: every parameter the next step
    # reads is checked before anything is stored.
    heading_level(request.args)
    boolean(request.args, "switcher")
    submission = read_submission(request.form)
    state = "comment" if submission.entry else "start"
    if not submission.page and is_htmx_request():
        submission.page = request.headers.get("HX-Current-URL", "")[:2000]
    # The query string and fragment are dropped at once, never carried or
    # stored; a page header that is not a web address is dropped whole.
    if request.form.get("page"):
        submission.page = clean_page(submission.page) or submission.page
    else:
        submission.page = clean_page(submission.page) or ""
    if not rate_limit().allow(client_address()):
        submission.errors["form"] = gettext(
            "You have sent a lot of feedback in a short time. Please wait a minute and try again."
        )
        response = _render(state, submission, 429)
        response.headers["Retry-After"] = str(rate_limit().retry_after(client_address()))
        return response
    if submission.honeypot:
        submission.errors["form"] = gettext("Your feedback could not be sent.")
        return _render(state, submission, 422)
    try:
        spent = check_form_token(submission.token)
    except TokenProblem as problem:
        submission.errors["form"] = (
            gettext("This form was open too long. Please send it again.")
            if problem.reason == "expired"
            else gettext("This form could not be checked. Please send it again.")
        )
        return _render(state, submission, 422)
    if submission.entry:
        submission.errors.pop("helpful", None)
        try:
            entry_id = check_entry_token(submission.entry)
        except TokenProblem:
            submission.errors["form"] = gettext(
                "This form was open too long. Please send it again."
            )
            return _render(state, submission, 422)
    if submission.errors:
        return _render(state, submission, 422)

    try:
        next_state, entry = _store(submission, spent, entry_id if submission.entry else None)
    except TokenReplayed as replay:
        if not replay.same_post:
            # A spent token with another answer: a script, or a form sent twice
            # with changes. Nothing is stored; the form (with a fresh token and
            # the visitor's text) is shown again.
            submission.errors["form"] = gettext(
                "This form was already sent. To send this as new feedback, please send it again."
            )
            return _render(state, submission, 422)
        # The same post again (a double click, a resend after a lost answer):
        # it was stored once, and the visitor sees the same success as the first time.
        next_state, entry = _next_state(submission, replay.feedback_id)
    except SQLAlchemyError as error:
        log_failure(log, "storing feedback", error)
        submission.errors["form"] = gettext(
            "Your feedback could not be saved just now. Please try again in a few minutes."
        )
        response = _render(state, submission, 503)
        response.headers["Retry-After"] = str(RETRY_AFTER_OUTAGE)
        return response
    if is_htmx_request():
        return _render(next_state, Submission(page=submission.page, entry=entry))
    # No JavaScript: post, redirect, get — a reload does not post again.
    target = url_for(
        "feedback.form",
        state=next_state,
        page=submission.page or None,
        entry=entry or None,
        **_query(),
    )
    return redirect(target, code=303)


def _store(
    submission: Submission, spent: SpentToken | None, entry_id: int | None
) -> tuple[str, str]:
    """Store the post (spending its token); the next state and the entry token it needs."""
    if entry_id is not None:
        add_comment(entry_id, submission.comment, spent)
        return "thanks", ""
    partner = current_partner()
    row_id = save_answer(
        helpful=bool(submission.answer),
        comment=submission.comment,
        page=submission.page,
        locale=current_locale().tag,
        partner=partner.id if partner else None,
        token=spent,
    )
    return _next_state(submission, row_id)


def _next_state(submission: Submission, row_id: int | None) -> tuple[str, str]:
    if submission.entry or row_id is None:
        return "thanks", ""
    # One post may carry both the answer and the comment.
    if submission.comment.strip():
        return "thanks", ""
    return "comment", entry_token(row_id)
