"""Liveness check for load balancers and operators."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Report that the service answers (the database check joins when storage does)."""
    return jsonify(status="ok")
