"""The production server: granian (Rust HTTP, WSGI) running the service, warmed.

Started by scripts/serve-production. Read from the environment, each with a
default fit for one host:

- `BIND`: the address to listen on, `HOST:PORT`; `127.0.0.1:8000`
- `WEB_CONCURRENCY`: worker processes; one per CPU, at most 8
- `SERVER_THREADS`: threads per worker that run the service (started as needed); 64
- `SERVER_GRACEFUL_TIMEOUT`: seconds requests in flight get after SIGTERM; 30
- `SERVER_HEADER_TIMEOUT`: seconds a client may take to send its request headers; 10
- `SERVER_LOG_LEVEL`: the server's own messages; info

Why granian (figures in docs/operations.md, "Benchmarks"): connections are read and
written by an event loop in Rust, and a request reaches a Python thread only
once its headers are complete, so slow clients (slowloris) cannot occupy
the threads that serve everyone else, as they did under gunicorn's gthread
workers; it also answers more requests per second with the same workers.

Each worker builds its app with `widget.warmup:warmed_app`: the app of
`widget:create_app()`, which then asks itself for every widget in every
language, opens its stores and freezes what it loaded out of the garbage
collector's sight before the worker takes its first visitor (widget/warmup.py).

Every request is logged by the service itself as one JSON line without any
visitor data (widget/requestlog.py), so the server's access log stays off.

Before any worker starts, the schema is brought up to date once (when
WIDGET_AUTO_MIGRATE is on), so several workers never race to migrate; the
connection used for it is closed before the workers are forked.
"""

from __future__ import annotations

import logging
import os
import sys

from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server import Server

log = logging.getLogger("care-widgets.server")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def default_workers() -> int:
    """One per CPU, capped at 8: each worker holds its own app and database pool.

    A worker's threads already wait on the database for one another, so
    more processes than cores only take turns on them: with 32 clients
    posting feedback on 2 cores, 4 workers spent 3.7-4.5 ms of CPU per
    submission where 2 spent 2.7-3.1 ms (scripts/benchmark, writes).
    """
    return min(os.cpu_count() or 1, 8)


def bind_address() -> tuple[str, int]:
    """BIND as (host, port); an IPv6 host in brackets."""
    host, _, port = os.environ.get("BIND", "127.0.0.1:8000").strip().rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def prepare(workers: int) -> None:
    """Migrate once and warn about per-worker rate limits, in the parent, before any fork."""
    from widget import create_app, db

    app = create_app()
    if app.config.get("AUTO_MIGRATE", True):
        database = app.extensions["care_widgets.db"]
        try:
            db.upgrade(database.engine)
        except Exception:  # noqa: BLE001 (the workers retry on first use)
            log.exception("schema upgrade before start failed; workers will try on first use")
        finally:
            # No connection opened here may cross the fork.
            database.engine.dispose()
    storage = str(app.config.get("RATE_LIMIT_STORAGE_URL", "memory://"))
    limited = str(app.config.get("RATE_LIMIT", "")).strip().lower() != "off"
    if limited and workers > 1 and storage.startswith("memory"):
        log.warning(
            "rate limits are counted per worker with %s; set WIDGET_RATE_LIMIT_STORAGE_URL "
            "to a redis:// URL to share them between workers and hosts",
            storage,
        )


def main(target: str = "widget.warmup:warmed_app") -> None:
    """Serve `target` (an app factory) until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s] %(message)s")
    workers = _int("WEB_CONCURRENCY", default_workers())
    host, port = bind_address()
    prepare(workers)
    server = Server(
        target,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        factory=True,
        workers=workers,
        blocking_threads=_int("SERVER_THREADS", 64),
        # A client gets this long for its headers; nothing waits on it meanwhile.
        http1_settings=HTTP1Settings(
            header_read_timeout=_int("SERVER_HEADER_TIMEOUT", 10) * 1000,
            # Request line and headers: a feedback post is small (the body has its own limit).
            max_buffer_size=64 * 1024,
        ),
        # HTTP/1.1 only: nginx or a CDN in front speaks HTTP/2 to visitors.
        http=HTTPModes.http1,
        websockets=False,
        log_level=LogLevels(os.environ.get("SERVER_LOG_LEVEL", "info")),
        # Our structured request log replaces the access log (see above).
        log_access=False,
        # On SIGTERM workers stop accepting and finish what is in flight, at most this long.
        workers_kill_timeout=_int("SERVER_GRACEFUL_TIMEOUT", 30),
        respawn_failed_workers=True,
    )
    server.serve()


if __name__ == "__main__":
    main(*sys.argv[1:2])
