"""A separate, minimal Flask app for scripts/benchmark only (never shipped).

`/bare/<name>` answers the bytes of the file `name` in the folder BENCH_BARE_DIR
as text/html:
the least a Flask app can do for a request, to compare a cached widget
answer of the service with, under the same server and settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response


def create_bare_app() -> Flask:
    """The app: one route returning a file's bytes, read once at start."""
    app = Flask(__name__)
    folder = Path(os.environ["BENCH_BARE_DIR"])
    bodies = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}

    @app.get("/bare/<name>")
    def bare(name: str) -> Response:
        return Response(bodies[name], mimetype="text/html")

    # The production server's health check, so it can be started the same way.
    @app.get("/healthz")
    def healthz() -> Response:
        return Response("ok", mimetype="text/plain")

    return app
