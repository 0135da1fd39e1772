"""Write feedback rows: redacted, without the query string, without anything that identifies.

A form token is spent in the same transaction that stores its answer: the
answer and the mark stand or fall together, on every worker and host that
shares the database, so one token stores one row however often it is sent.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from widget.db import database
from widget.feedback.models import Feedback, UsedFormToken
from widget.feedback.redact import redact
from widget.feedback.submission import clean_page
from widget.feedback.tokens import SpentToken

# About one write in this many also clears tokens past their expiry.
PRUNE_EVERY = 200


class TokenReplayed(Exception):
    """The form token was spent already; nothing was stored.

    `same_post` is True when the earlier post stored exactly this answer (a
    double click, a resend after a lost answer); `feedback_id` names its row.
    """

    def __init__(self, same_post: bool, feedback_id: int | None) -> None:
        super().__init__("form token already used")
        self.same_post = same_post
        self.feedback_id = feedback_id


def save_answer(
    *,
    helpful: bool,
    comment: str,
    page: str,
    locale: str,
    partner: str | None,
    token: SpentToken | None = None,
) -> int:
    """Store one answer (and its comment, if any) and spend its token; return the row's id."""
    redaction = redact(comment.strip()) if comment.strip() else None
    row = Feedback(
        created_at=dt.datetime.now(dt.UTC),
        page=clean_page(page) or "",
        partner=partner,
        locale=locale,
        helpful=helpful,
        comment=redaction.text if redaction else None,
        redactions=redaction.count if redaction else 0,
    )
    try:
        with database().session() as session, session.begin():
            session.add(row)
            session.flush()
            _spend(session, token, row.id)
            row_id = row.id
    except IntegrityError:
        if token is None:
            raise
        raise _replayed(token, (helpful, row.comment, row.page)) from None
    _maybe_prune()
    return row_id


def add_comment(entry_id: int, comment: str, token: SpentToken | None = None) -> bool:
    """Attach a comment to an answer stored moments ago; False if it has one already."""
    if not comment.strip():
        return True
    redaction = redact(comment.strip())
    try:
        with database().session() as session, session.begin():
            _spend(session, token, entry_id)
            result = session.execute(
                update(Feedback)
                .where(Feedback.id == entry_id, Feedback.comment.is_(None))
                .values(comment=redaction.text, redactions=redaction.count)
            )
            return result.rowcount == 1
    except IntegrityError:
        if token is None:
            raise
        raise _replayed(token, (None, redaction.text, None)) from None


def _spend(session, token: SpentToken | None, feedback_id: int) -> None:
    if token is None:
        return
    session.add(
        UsedFormToken(token_id=token.id, expires_at=token.expires_at, feedback_id=feedback_id)
    )
    # Flushed now: a second use fails here, inside the transaction, before it commits.
    session.flush()


def _replayed(token: SpentToken, post: tuple[bool | None, str | None, str | None]) -> TokenReplayed:
    """What the earlier use of the token stored, compared with this post."""
    helpful, comment, page = post
    with database().session() as session:
        spent = session.get(UsedFormToken, token.id)
        earlier = session.get(Feedback, spent.feedback_id) if spent and spent.feedback_id else None
    if earlier is None:
        return TokenReplayed(False, None)
    same = earlier.comment == comment and (
        helpful is None or (earlier.helpful == helpful and earlier.page == page)
    )
    return TokenReplayed(same, earlier.id)


def _maybe_prune() -> None:
    if random.random() >= 1 / PRUNE_EVERY:  # noqa: S311 (not a secret, a sampling rate)
        return
    try:
        with database().session() as session, session.begin():
            now = dt.datetime.now(dt.UTC)
            session.execute(delete(UsedFormToken).where(UsedFormToken.expires_at < now))
    except SQLAlchemyError:
        # Pruning is housekeeping: the next sampled write tries again.
        pass


def rows(since: dt.date | None = None, partner: str | None = None) -> list[Feedback]:
    """Stored rows, oldest first, optionally from a date on and for one partner."""
    query = select(Feedback).order_by(Feedback.id)
    if since is not None:
        start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
        query = query.where(Feedback.created_at >= start)
    if partner is not None:
        query = query.where(Feedback.partner == partner)
    with database().session() as session:
        return list(session.scalars(query))
