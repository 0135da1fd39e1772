"""Liveness check for load balancers and operators."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from widget.db import database

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Report that the service answers and its database is reachable and current."""
    try:
        with database().session() as session:
            session.execute(text("SELECT 1"))
        current = database().is_current()
    except SQLAlchemyError:
        log.exception("database check failed")
        return jsonify(status="error", database="unreachable"), 503
    if not current:
        return jsonify(status="error", database="schema missing"), 503
    return jsonify(status="ok", database="ok")
