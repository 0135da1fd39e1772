"""Write feedback rows: redacted, without the query string, without anything that identifies.

A form token is spent in the same transaction that stores its answer: the
answer and the mark stand or fall together, on every worker and host that
shares the database, so one token stores one row however often it is sent.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from widget.db import Database, database
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


# PostgreSQL: the answer and its spent token in one statement, so one round
# trip stores both or neither (a token spent before fails the whole statement).
_ANSWER_AND_TOKEN = text(
    "WITH answer AS ("
    " INSERT INTO feedback (created_at, page, partner, locale, helpful, comment, redactions)"
    " VALUES (:created_at, :page, :partner, :locale, :helpful, :comment, :redactions)"
    " RETURNING id)"
    " INSERT INTO used_form_tokens (token_id, expires_at, feedback_id)"
    " SELECT :token_id, :expires_at, id FROM answer RETURNING feedback_id"
)
_COMMENT_AND_TOKEN = text(
    "WITH spent AS ("
    " INSERT INTO used_form_tokens (token_id, expires_at, feedback_id)"
    " VALUES (:token_id, :expires_at, :feedback_id))"
    " UPDATE feedback SET comment = :comment, redactions = :redactions"
    " WHERE id = :feedback_id AND comment IS NULL"
)
_FEEDBACK = Feedback.__table__
_TOKENS = UsedFormToken.__table__


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
    values = {
        "created_at": dt.datetime.now(dt.UTC),
        # Cleaned again here, where rows are written: whatever the caller, no
        # query string or fragment is ever stored.
        "page": clean_page(page) or "",
        "partner": partner,
        "locale": locale,
        "helpful": helpful,
        "comment": redaction.text if redaction else None,
        "redactions": redaction.count if redaction else 0,
    }
    db = database().ready()
    try:
        if token is not None and _one_statement_engine(db):
            with db.autocommit.connect() as connection:
                row_id = connection.execute(
                    _ANSWER_AND_TOKEN, {**values, **_token_values(token)}
                ).scalar_one()
        else:
            # SQLite (in process, no round trips): both rows in one transaction.
            with db.writing() as connection:
                row_id = connection.execute(insert(_FEEDBACK), values).inserted_primary_key[0]
                if token is not None:
                    _spend(connection, token, row_id)
    except IntegrityError:
        if token is None:
            raise
        raise _replayed(token, (helpful, values["comment"], values["page"])) from None
    _maybe_prune()
    return row_id


def add_comment(entry_id: int, comment: str, token: SpentToken | None = None) -> bool:
    """Attach a comment to an answer stored moments ago; False if it has one already."""
    if not comment.strip():
        return True
    redaction = redact(comment.strip())
    values = {"feedback_id": entry_id, "comment": redaction.text, "redactions": redaction.count}
    db = database().ready()
    try:
        if token is not None and _one_statement_engine(db):
            with db.autocommit.connect() as connection:
                result = connection.execute(_COMMENT_AND_TOKEN, {**values, **_token_values(token)})
        else:
            with db.writing() as connection:
                if token is not None:
                    _spend(connection, token, entry_id)
                result = connection.execute(
                    update(_FEEDBACK)
                    .where(_FEEDBACK.c.id == entry_id, _FEEDBACK.c.comment.is_(None))
                    .values(comment=redaction.text, redactions=redaction.count)
                )
        return result.rowcount == 1
    except IntegrityError:
        if token is None:
            raise
        raise _replayed(token, (None, redaction.text, None)) from None


def _one_statement_engine(db: Database) -> bool:
    """True where a data-modifying WITH stores a post and spends its token at once."""
    return db.engine.dialect.name == "postgresql"


def _token_values(token: SpentToken) -> dict[str, object]:
    return {"token_id": token.id, "expires_at": token.expires_at}


def _spend(connection: Connection, token: SpentToken, feedback_id: int) -> None:
    # In the answer's transaction: a second use fails here, before anything commits.
    connection.execute(
        insert(_TOKENS),
        {"token_id": token.id, "expires_at": token.expires_at, "feedback_id": feedback_id},
    )


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
        with database().writing() as connection:
            now = dt.datetime.now(dt.UTC)
            connection.execute(delete(_TOKENS).where(_TOKENS.c.expires_at < now))
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
