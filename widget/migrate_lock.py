"""One migration at a time across processes: workers that start together on a fresh
database must not all create the same tables.

SQLite: an exclusive lock on a file beside the database (fcntl; every worker on
the host sees it). PostgreSQL: a session advisory lock, which every host sees.
Other databases migrate unlocked (run `flask db upgrade` once per release).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from widget.hostlock import beside, sqlite_file

# Any fixed 64-bit number: the key of the advisory lock the migrations share.
ADVISORY_KEY = 0x43415245_57494447


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold the cross-process migration lock of this engine's database."""
    backend = engine.url.get_backend_name()
    database = sqlite_file(engine.url)
    if database is not None:
        with _file_lock(beside(database, "migrate-lock")):
            yield
    elif backend == "postgresql":
        with engine.connect() as connection:
            # The statement timeout must not cut a wait for a slow migration elsewhere.
            connection.execute(text("SET statement_timeout = 0"))
            connection.execute(text("SET lock_timeout = 0"))
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
                # Back to the engine's own timeouts before the connection returns to the pool.
                connection.execute(text("RESET statement_timeout"))
                connection.execute(text("RESET lock_timeout"))
                connection.commit()
    else:
        yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
