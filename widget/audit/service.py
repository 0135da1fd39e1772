"""The service the built-in matrix audits: a private copy of this app on 127.0.0.1.

It keeps the app's partners, content and catalogues, but writes feedback to a
throwaway SQLite file and has no rate limit (the matrix posts the feedback
form many times from one address), so an audit never touches real data.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

# Settings of the running app that the private copy must not share.
PRIVATE = ("DATABASE_URL", "RATE_LIMIT", "RATE_LIMIT_STORAGE_URL", "REPORT_TOKEN", "SERVER_NAME")


class _Quiet(WSGIRequestHandler):
    """No line per request: the audit prints its own progress."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


@contextmanager
def private_service(app: Flask) -> Iterator[str]:
    """Serve a copy of `app` on a free loopback port; yield its origin; stop it after."""
    from widget import create_app

    with tempfile.TemporaryDirectory(prefix="care-widgets-audit-") as folder:
        config = {key: value for key, value in app.config.items() if key not in PRIVATE}
        config.update(
            DATABASE_URL=f"sqlite:///{Path(folder) / 'feedback.sqlite3'}",
            RATE_LIMIT="off",
            RATE_LIMIT_STORAGE_URL="memory://",
            AUTO_MIGRATE=True,
            REQUEST_LOG=False,
        )
        copy = create_app(config)
        server = make_server("127.0.0.1", 0, copy, threaded=True, request_handler=_Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            copy.extensions["care_widgets.db"].engine.dispose()
