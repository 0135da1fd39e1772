"""Routes of the feedback form: parse the request, store, answer in the right state."""

from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, Response, current_app, make_response, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from sqlalchemy.exc import SQLAlchemyError

from widget.arrival import arrival, is_standalone, top_heading_level
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
    form_token,
    form_token_for,
)
from widget.fragment_cache import FRESH_TOKEN, key_size
from widget.fragment_cache import cache as fragment_cache
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


def _render(
    state: str, submission: Submission, status: int = 200, token: str | None = None
) -> Response:
    level = top_heading_level(request.args)
    uid = request.form.get("uid", "") if request.method == "POST" else ""
    if not (uid.startswith("cw-") and len(uid) == 11 and uid[3:].isalnum()):
        uid = address_instance_id()
    context = form_context(state, submission, level, _query(), uid, token)
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


# The form in its first state, rendered once per address, language, arrival
# and host with this in place of the token: each request then only signs a
# token and puts it in (a token is URL-safe base64 and dots, nothing to escape).
_TOKEN_SLOT = "cw-form-token-slot-5f0c9b1e"


def _blank_form_key() -> tuple | None:
    """What the first state of the form depends on; None when it is not kept."""
    environ = request.environ
    return (
        "feedback.form:start",
        environ.get("PATH_INFO"),
        # Every parameter as sent (page, partner, lang, heading, switcher…).
        request.query_string,
        current_locale().tag,
        arrival(),
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME"),
    )


def _blank_form(submission: Submission) -> Response:
    """The start state: from the rendered copy kept in memory, with a fresh token.

    The copy lives in the fragment cache's bounded store, which is emptied
    when catalogues, partners or content change; only the token differs
    between two visitors, and it is never kept.
    """
    store = fragment_cache()
    if store is None or len(request.query_string) > _LONGEST_KEPT_QUERY:
        return _render("start", submission)
    key = _blank_form_key()
    page = store.bodies.get(key)
    if page is None:
        response = _render("start", submission, token=_TOKEN_SLOT)
        page = response.get_data(as_text=True)
        if _TOKEN_SLOT not in page:  # pragma: no cover (the template lost its token)
            raise RuntimeError("the feedback form has no token field")
        store.bodies.put(key, page, len(page) + key_size(key[:2]) + len(key[2]))
    token = form_token()
    response = make_response(page.replace(_TOKEN_SLOT, token))
    # The answer cache may keep the whole answer, headers and all, with the
    # slot in place of this token, and sign a fresh token for each visitor.
    request.environ[FRESH_TOKEN] = (
        _TOKEN_SLOT,
        token,
        partial(form_token_for, current_app.config["SECRET_KEY"]),
    )
    response.mimetype = "text/html"
    response.headers["Cache-Control"] = "no-store"
    return response


_LONGEST_KEPT_QUERY = 1024


@bp.get("/widgets/feedback-form")
def form() -> ResponseReturnValue:
    """The form, in the state a plain (no JavaScript) post was redirected to."""
    state = choice(request.args, "state", STATES, "start")
    page = clean_page(request.args.get("page", ""))
    if page is None:
        raise InvalidParameter(
            "page", lazy_gettext("The address of the page is not a web address.")
        )
    submission = Submission(page=page, entry=request.args.get("entry", ""))
    if state == "start" and not submission.entry:
        return _blank_form(submission)
    if state == "comment":
        try:
            check_entry_token(submission.entry)
        except TokenProblem:
            state = "thanks"
    return _render(state, submission)


class _Refused(Exception):
    """A post that stores nothing: the form comes back with this status and message.

    Without a message, the field errors the submission holds say what is wrong.
    """

    def __init__(
        self, status: int, message: str | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(status)
        self.status, self.message, self.retry_after = status, message, retry_after


@bp.post("/widgets/feedback-form")
def submit() -> ResponseReturnValue:
    """Store an answer and/or a comment; a rejected one comes back with the visitor's text."""
    # A malformed address stores nothing: every parameter the next step
    # reads is checked before anything is stored.
    heading_level(request.args)
    boolean(request.args, "switcher")
    submission = _read_post()
    state = "comment" if submission.entry else "start"
    try:
        _check_sender()
        spent, entry_id = _check_tokens(submission)
        next_state, entry = _store_once(submission, spent, entry_id)
    except _Refused as refused:
        if refused.message:
            submission.errors["form"] = refused.message
        response = _render(state, submission, refused.status)
        if refused.retry_after is not None:
            response.headers["Retry-After"] = str(refused.retry_after)
        return response
    return _answer(next_state, submission, entry)


def _read_post() -> Submission:
    """The posted fields (the page cleaned as they are read), or the page htmx names."""
    submission = read_submission(request.form)
    if not submission.page and is_htmx_request():
        # Cleaned like a posted page; a header that is not a web address is dropped whole.
        submission.page = clean_page(request.headers.get("HX-Current-URL", "")[:2000]) or ""
    return submission


def _check_sender() -> None:
    """Refuse a client over the rate limit (429, with when to try again)."""
    if rate_limit().allow(client_address()):
        return
    message = gettext(
        "You have sent a lot of feedback in a short time. Please wait a minute and try again."
    )
    raise _Refused(429, message, rate_limit().retry_after(client_address()))


def _check_tokens(submission: Submission) -> tuple[SpentToken | None, int | None]:
    """The form token to spend and the answer a comment belongs to, or a 422."""
    if submission.honeypot:
        raise _Refused(422, gettext("Your feedback could not be sent."))
    try:
        spent = check_form_token(submission.token)
    except TokenProblem as problem:
        raise _Refused(
            422,
            gettext("This form was open too long. Please send it again.")
            if problem.reason == "expired"
            else gettext("This form could not be checked. Please send it again."),
        ) from None
    entry_id = None
    if submission.entry:
        submission.errors.pop("helpful", None)
        try:
            entry_id = check_entry_token(submission.entry)
        except TokenProblem:
            raise _Refused(
                422, gettext("This form was open too long. Please send it again.")
            ) from None
    if submission.errors:
        raise _Refused(422)
    return spent, entry_id


def _store_once(
    submission: Submission, spent: SpentToken | None, entry_id: int | None
) -> tuple[str, str]:
    """Store the post once; the same post again succeeds as the first time did."""
    try:
        return _store(submission, spent, entry_id)
    except TokenReplayed as replay:
        if replay.same_post:
            # The same post again (a double click, a resend after a lost answer):
            # it was stored once, and the visitor sees the same success as the first time.
            return _next_state(submission, replay.feedback_id)
        # A spent token with another answer: a script, or a form sent twice
        # with changes. Nothing is stored; the form (with a fresh token and
        # the visitor's text) is shown again.
        message = gettext(
            "This form was already sent. To send this as new feedback, please send it again."
        )
        raise _Refused(422, message) from None
    except SQLAlchemyError as error:
        log_failure(log, "storing feedback", error)
        raise _Refused(
            503,
            gettext(
                "Your feedback could not be saved just now. Please try again in a few minutes."
            ),
            RETRY_AFTER_OUTAGE,
        ) from None


def _answer(next_state: str, submission: Submission, entry: str) -> ResponseReturnValue:
    """The next state: swapped in under htmx, else a redirect to it."""
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
