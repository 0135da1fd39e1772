"""gunicorn settings: the documented alternative to scripts/serve-production (granian).

Run it behind nginx only (deploy/README.md, "gunicorn, behind nginx"): its
gthread workers read each request themselves, so slow clients facing it
directly can occupy every thread. scripts/benchmark measures it beside
granian: `.venv/bin/gunicorn --config gunicorn.conf.py`.

Read from the environment, each with a default fit for one host behind nginx:

- `BIND`: address(es) to listen on, comma-separated; `127.0.0.1:8000`
- `WEB_CONCURRENCY`: worker processes; 2 x CPUs + 1, at most 8
- `GUNICORN_THREADS`: threads per worker; 2
- `GUNICORN_TIMEOUT`: seconds a silent worker lives before it is restarted; 30
- `GUNICORN_GRACEFUL_TIMEOUT`: seconds requests in flight get after SIGTERM; 30
- `GUNICORN_PRELOAD`: build the app once in the master, then fork; true
- `GUNICORN_LOG_LEVEL`: gunicorn's own messages; info

The service's own settings are the `WIDGET_*` variables (docs/operations.md, "Configure").

Every request is logged by the service itself as one JSON line without any
visitor data (widget/requestlog.py), so gunicorn's access log stays off: its
format carries the client address, the query string, the referrer and the user
agent.

Preloading: the master builds the app once with `widget.warmup:warmed_app`
(`widget:create_app()`, then every widget asked for once in every language and
what that loaded frozen out of the garbage collector's sight), so the workers
share those pages from their first request. The warm-up opens the database and
the rate-limit store in the master; each worker drops both after the fork. When
WIDGET_AUTO_MIGRATE is on, the master brings the schema up to date once before
forking (then closes its connection), so several workers never race to migrate.
After the fork each worker drops any pooled connection it inherited and makes
its own rate-limit storage.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger("gunicorn.error")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value not in {"0", "false", "no", "off"}


def default_workers() -> int:
    """2 × CPUs + 1, capped at 8: each worker holds its own app and database pool."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


wsgi_app = "widget.warmup:warmed_app()"
bind = [address.strip() for address in os.environ.get("BIND", "127.0.0.1:8000").split(",")]
workers = _int("WEB_CONCURRENCY", default_workers())
# Threads let one worker wait on the database or a slow client while another
# request runs; nginx in front buffers slow clients anyway.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM the master stops accepting, workers finish the requests in flight
# (at most this long), then exit; the master exits 0.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
preload_app = _flag("GUNICORN_PRELOAD", True)

# Our structured request log replaces the access log (see above).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# A feedback post is small: refuse absurd request lines and headers early.
limit_request_line = 8190
limit_request_fields = 100
proc_name = "care-widgets"
# Recent gunicorn opens a control socket at one path per user ($HOME/.gunicorn):
# several instances on one machine would fight over it, and we do not use it.
control_socket_disable = True


def _flask_app(server):  # noqa: ANN001, ANN202 (gunicorn's Arbiter; the Flask app or None)
    """The preloaded Flask app in the master, or None without preload."""
    if not server.cfg.preload_app:
        return None
    app = server.app.wsgi()
    # Another WSGI app (or a wrapped one) gets no help from these hooks.
    return app if "care_widgets.db" in getattr(app, "extensions", {}) else None


def when_ready(server) -> None:  # noqa: ANN001
    """In the master, before the first fork: migrate once, warn about per-worker limits."""
    app = _flask_app(server)
    if app is None:
        return
    from widget import db

    if app.config.get("AUTO_MIGRATE", True):
        database = app.extensions["care_widgets.db"]
        try:
            db.upgrade(database.engine)
        except Exception:  # noqa: BLE001 (the workers retry on first use, as without preload)
            log.exception("schema upgrade before fork failed; workers will try on first use")
        finally:
            # No connection opened here may cross the fork.
            database.engine.dispose()
    storage = str(app.config.get("RATE_LIMIT_STORAGE_URL") or "host")
    limited = str(app.config.get("RATE_LIMIT", "")).strip().lower() != "off"
    if limited and server.cfg.workers > 1 and storage.startswith("memory"):
        log.warning(
            "rate limits are counted per worker with %s; leave WIDGET_RATE_LIMIT_STORAGE_URL "
            "unset (per host) or set a redis:// URL (across hosts) to share them",
            storage,
        )


def post_fork(server, worker) -> None:  # noqa: ANN001
    """In each new worker: its own database pool and its own rate-limit storage."""
    app = _flask_app(server)
    if app is None:
        return
    from widget.feedback import ratelimit

    # close=False: leave the parent's connections (if any) to the parent.
    app.extensions["care_widgets.db"].engine.dispose(close=False)
    ratelimit.init_app(app)
