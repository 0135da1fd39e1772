"""The service plus one bare endpoint, for scripts/benchmark only (never shipped).

`/bench/constant/<size>` answers `size` bytes of "x" as text/html from the same
app, so it passes the same hooks (headers, CORS, request log) as a widget:
what a widget costs beyond it is the widget's own work.
"""

from __future__ import annotations

from flask import Flask, Response

from widget import create_app


def create_bench_app() -> Flask:
    """widget:create_app() (settings from WIDGET_*) with the bare endpoint added."""
    app = create_app()

    @app.get("/bench/constant/<int:size>")
    def bench_constant(size: int) -> Response:
        return Response("x" * size, mimetype="text/html")

    return app
