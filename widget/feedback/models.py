"""The stored feedback: one row per answer, redacted before it is written."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from widget.db import Base


class Feedback(Base):
    """An answer to "Was this page helpful?" with its optional, redacted comment.

    No IP address, user agent or cookie is ever stored: nothing here can
    identify a visitor.
    """

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    page: Mapped[str] = mapped_column(String(2000))
    partner: Mapped[str | None] = mapped_column(String(64), index=True)
    locale: Mapped[str] = mapped_column(String(16))
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    redactions: Mapped[int] = mapped_column(Integer, default=0)


class UsedFormToken(Base):
    """A form token that has been spent, kept until it would have expired anyway.

    Written in the same transaction as the answer it carried, so a token is
    spent exactly when its answer is stored, on every worker and host that
    shares the database. Holds a random id, never anything the visitor sent.
    """

    __tablename__ = "used_form_tokens"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    feedback_id: Mapped[int | None] = mapped_column(Integer)
