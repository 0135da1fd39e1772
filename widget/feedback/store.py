"""Write feedback rows: redacted, without the query string, without anything that identifies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from widget.db import database
from widget.feedback.models import Feedback
from widget.feedback.redact import redact
from widget.feedback.submission import clean_page


def save_answer(*, helpful: bool, comment: str, page: str, locale: str, partner: str | None) -> int:
    """Store one answer (and its comment, if any); return the row's id."""
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
    with database().session() as session, session.begin():
        session.add(row)
        session.flush()
        return row.id


def add_comment(entry_id: int, comment: str) -> bool:
    """Attach a comment to an answer stored moments ago; False if it has one already."""
    if not comment.strip():
        return True
    redaction = redact(comment.strip())
    with database().session() as session, session.begin():
        result = session.execute(
            update(Feedback)
            .where(Feedback.id == entry_id, Feedback.comment.is_(None))
            .values(comment=redaction.text, redactions=redaction.count)
        )
        return result.rowcount == 1


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
