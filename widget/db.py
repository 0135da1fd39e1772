"""The database: SQLite in WAL mode by default, PostgreSQL through WIDGET_DATABASE_URL.

The schema is versioned with Alembic (widget/migrations). An embedded SQLite
database is created and brought up to date on first use, with no manual step;
with several hosts, run `flask --app widget db upgrade` once per release and
set WIDGET_AUTO_MIGRATE=false.

Every wait is bounded (DB_TIMEOUT seconds, 3 by default): connecting, each
statement, and waiting for a pooled connection, so a frozen database costs a
visitor a few seconds and a calm 503, never a hung page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url
from sqlalchemy.exc import TimeoutError as WaitedTooLong
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from widget.hostlock import WriteTurn, sqlite_file
from widget.migrate_lock import migration_lock

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_TIMEOUT = 3.0


class Base(DeclarativeBase):
    """Base class of every table."""


def default_database_url(app: Flask) -> str:
    """An SQLite file in the instance folder."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'care-widgets.sqlite3'}"


def _sqlite_pragmas(timeout: float):
    def apply(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers and one writer work at once; busy_timeout makes a
        # second writer wait its turn (a bounded time) instead of failing.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return apply


# Connections kept open per worker process: as many as its threads that
# write at once under load. Beyond the pool, connections were opened and
# closed for each request (a new PostgreSQL backend every time, the main
# reason PostgreSQL trailed SQLite); a few more may open at peaks.
POOL_SIZE = 12
POOL_OVERFLOW = 4
# A connection is replaced after this many seconds instead of being tested
# with a round trip before every request; one that died meanwhile (a database
# restart) is dropped, with the whole pool, on its first error.
POOL_RECYCLE = 600


def make_engine(url: str, timeout: float = DEFAULT_TIMEOUT) -> Engine:
    """An engine for the URL with every wait bounded by `timeout` seconds.

    hide_parameters: SQLAlchemy copies a failed statement's parameters (a
    visitor's comment, the page) into the exception text, which would reach
    the logs; with it, the text says only that parameters were hidden.
    """
    pool = {
        "pool_size": POOL_SIZE,
        "max_overflow": POOL_OVERFLOW,
        "pool_recycle": POOL_RECYCLE,
        "pool_timeout": timeout,
    }
    if url.startswith("sqlite"):
        if make_url(url).database in (None, "", ":memory:"):
            # An in-memory database lives in one connection: no pool to size.
            pool = {}
        engine = create_engine(url, connect_args={"timeout": timeout}, hide_parameters=True, **pool)
        event.listen(engine, "connect", _sqlite_pragmas(timeout))
        return engine
    connect_args: dict[str, object] = {}
    if make_url(url).get_backend_name() == "postgresql":
        milliseconds = int(timeout * 1000)
        connect_args = {
            "connect_timeout": max(1, round(timeout)),
            # Server side: a statement (or a wait for a lock) longer than this is cancelled.
            "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
            # Client side: a database host that vanished is noticed within seconds.
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "tcp_user_timeout": milliseconds * 2,
        }
    return create_engine(url, connect_args=connect_args, hide_parameters=True, **pool)


def alembic_config(engine: Engine) -> Config:
    """Alembic settings for the package's migrations and this engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema up to the newest migration, one process at a time."""
    with migration_lock(engine):
        command.upgrade(alembic_config(engine), "head")


class Database:
    """The engine and session factory of one app; migrates once, on first use."""

    def __init__(self, url: str, auto_migrate: bool, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = url
        self.timeout = timeout
        self.engine = make_engine(url, timeout)
        # The same pool, each statement its own transaction: one statement that
        # writes everything a post stores is then one round trip to PostgreSQL
        # (no BEGIN and COMMIT of their own), yet still all or nothing.
        self.autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._auto_migrate = auto_migrate
        self._ready = False
        self._lock = threading.Lock()
        # SQLite takes one writer at a time, and a writer that finds the file
        # locked sleeps and retries (1, 2, 5 … 100 ms), so writers that meet
        # wait far longer than the writes take (feedback posts' p99 was 250
        # ms). They take turns instead, woken as soon as the writer before
        # them is done: the threads of a process on a thread lock, the
        # processes of the host on a flock beside the file (widget/hostlock.py).
        sqlite = make_url(url).get_backend_name() == "sqlite"
        self._write_turn = WriteTurn(sqlite_file(url), timeout) if sqlite else None

    def ready(self) -> Database:
        """This database, its schema brought up to date first if needed."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    if self._auto_migrate:
                        upgrade(self.engine)
                    self._ready = True
        return self

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction that writes: committed on success, rolled back on error.

        On SQLite, the writers of the process and of the host take turns (see
        __init__); a turn not given within the timeout is SQLAlchemy's
        TimeoutError, as when a pool has no connection to give (the visitor
        gets the outage 503).
        """
        turn = self._write_turn
        if turn is None:
            with self.engine.begin() as connection:
                yield connection
            return
        if not turn.acquire():
            raise WaitedTooLong("no turn to write to SQLite within the timeout")
        try:
            with self.engine.begin() as connection:
                yield connection
        finally:
            turn.release()

    def session(self) -> Session:
        """A new session; the schema is brought up to date first if needed."""
        return self.ready().sessions()

    def is_current(self) -> bool:
        """True when the feedback table exists (used by /healthz)."""
        with self.engine.connect() as connection:
            return inspect(connection).has_table("feedback")


def init_app(app: Flask) -> None:
    """Create the app's Database from WIDGET_DATABASE_URL or the SQLite default."""
    url = app.config.get("DATABASE_URL") or default_database_url(app)
    timeout = float(app.config.get("DB_TIMEOUT") or DEFAULT_TIMEOUT)
    app.extensions["care_widgets.db"] = Database(
        url, bool(app.config.get("AUTO_MIGRATE", True)), timeout
    )


def database() -> Database:
    """The Database of the running app."""
    return current_app.extensions["care_widgets.db"]
