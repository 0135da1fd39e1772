"""Signed, time-limited tokens: one proves a form came from us, one names a stored answer."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

FORM_SALT = "care-widgets.feedback-form"
EXPORT_SALT = "care-widgets.feedback-form.static-export"
ENTRY_SALT = "care-widgets.feedback-entry"
# Long enough for someone who reads the page slowly, short enough to stop replays.
FORM_MAX_AGE = 2 * 60 * 60
ENTRY_MAX_AGE = 2 * 60 * 60
# A form in a static export is served unchanged for weeks: its token says so
# and lives as long as a partner is told to re-export (docs/operations.md,
# "Static export").
EXPORT_MAX_AGE = 35 * 24 * 60 * 60


class TokenProblem(Exception):
    """The token is missing, forged or expired (the message says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SpentToken:
    """What marks a form token as used: a random id, and when the token expires anyway."""

    id: str
    expires_at: dt.datetime


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"], salt)


@lru_cache(maxsize=32)
def _serializer_for(secret: str | bytes, salt: str) -> URLSafeTimedSerializer:
    # Built once per key and salt (every form shown and every post uses one).
    return URLSafeTimedSerializer(secret, salt=salt)


def form_token() -> str:
    """A fresh token for a form about to be shown, with a random id of its own."""
    return form_token_for(current_app.config["SECRET_KEY"])


def form_token_for(secret: str | bytes) -> str:
    """form_token() with the key given, for the answer cache, which runs outside Flask."""
    return _serializer_for(secret, FORM_SALT).dumps({"n": secrets.token_hex(12)})


def export_form_token() -> str:
    """A token for a form written into a static export."""
    return _serializer(EXPORT_SALT).dumps("feedback")


def check_form_token(token: str | None) -> SpentToken | None:
    """Raise TokenProblem unless the token is ours and recent (a form's, or an export's).

    Returns what marks a form's token as spent once its answer is stored; None
    for an export's token, which every visitor of the exported page shares
    (the rate limit is what bounds those).
    """
    try:
        value, signed_at = _load(FORM_SALT, token, FORM_MAX_AGE, timestamped=True)
    except TokenProblem as problem:
        if problem.reason != "forged":
            raise
        _load(EXPORT_SALT, token, EXPORT_MAX_AGE)
        return None
    if isinstance(value, dict) and isinstance(value.get("n"), str):
        token_id = value["n"][:64]
    else:
        # A token shown before tokens carried an id: its own digest names it.
        token_id = hashlib.sha256(str(token).encode()).hexdigest()[:32]
    return SpentToken(token_id, signed_at + dt.timedelta(seconds=FORM_MAX_AGE))


def entry_token(entry_id: int) -> str:
    """A token that lets the same visitor add a comment to the answer just stored."""
    return _serializer(ENTRY_SALT).dumps(entry_id)


def check_entry_token(token: str | None) -> int:
    """The stored answer's id, or TokenProblem."""
    value = _load(ENTRY_SALT, token, ENTRY_MAX_AGE)
    if not isinstance(value, int):
        raise TokenProblem("forged")
    return value


def _load(salt: str, token: str | None, max_age: int, timestamped: bool = False) -> object:
    if not token:
        raise TokenProblem("missing")
    try:
        return _serializer(salt).loads(token[:500], max_age=max_age, return_timestamp=timestamped)
    except SignatureExpired:
        raise TokenProblem("expired") from None
    except BadSignature:
        raise TokenProblem("forged") from None
