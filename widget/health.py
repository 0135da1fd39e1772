"""Health check for load balancers and operators: the service, and each thing it depends on.

Answer (JSON)::

    {"status": "ok" | "degraded",
     "database": "ok" | "unreachable" | "schema missing" | "read-only",
     "rate_limit_store": "ok" | "unreachable" | "off"}

503 when the database cannot store feedback (a load balancer then sends
visitors to another host); 200 "degraded" when only the rate-limit store is
down, because the service keeps working without it (it counts per host) and
every host shares it: taking them all out would help no one. Each check is
bounded (the database's statement timeout, Redis's socket timeout), so the
answer comes within a few seconds even when a dependency hangs.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from widget.db import database
from widget.feedback.ratelimit import rate_limit

bp = Blueprint("health", __name__)
# PostgreSQL's "read-only transaction" error class.
READ_ONLY_SQLSTATE = "25006"
# The health check's own statements get less time than a visitor's.
HEALTH_STATEMENT_TIMEOUT_MS = 1000


def _is_read_only(error: DBAPIError) -> bool:
    original = error.orig
    if getattr(original, "sqlstate", None) == READ_ONLY_SQLSTATE:
        return True
    # SQLite says "attempt to write a readonly database" (no parameters in it).
    return "readonly" in str(original).lower()


def database_state() -> str:
    """How the database is: ok, unreachable, schema missing or read-only."""
    db = database()
    try:
        db.session().close()  # brings the schema up to date first, when auto-migrating
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "postgresql":
                connection.execute(
                    text(f"SET LOCAL statement_timeout = {HEALTH_STATEMENT_TIMEOUT_MS}")
                )
            connection.execute(text("SELECT 1"))
            if not inspect(connection).has_table("used_form_tokens"):
                return "schema missing"
            try:
                # A write that changes nothing, rolled back: refused only when
                # the database (or the file, or the transaction) is read-only.
                connection.execute(
                    text("UPDATE used_form_tokens SET token_id = token_id WHERE 1 = 0")
                )
            except DBAPIError as error:
                if _is_read_only(error):
                    return "read-only"
                raise
            finally:
                connection.rollback()
    except SQLAlchemyError:
        return "unreachable"
    return "ok"


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Report that the service answers, and the state of its database and rate-limit store."""
    db_state = database_state()
    store = rate_limit().store_status()
    healthy = db_state == "ok" and store != "unreachable"
    body = {
        "status": "ok" if healthy else "degraded",
        "database": db_state,
        "rate_limit_store": store,
    }
    response = jsonify(body)
    response.status_code = 200 if db_state == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response
