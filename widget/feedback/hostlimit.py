"""A moving-window rate limit shared by every worker process on one host.

Counts live in a small SQLite file (by default in the instance folder): each
hit is one short IMMEDIATE transaction, so workers take turns and no count is
lost between them. Every use of the file takes a WriteTurn (widget/hostlock.py),
which hands the file on as soon as a hit is counted, instead of SQLite's
sleep-and-retry (1, 2, 5 … ms for a 0.1 ms write); it also keeps the threads
of a process off the one connection they share. The file holds salted
client keys and times, nothing else, and forgets every hit older than the window.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from widget.hostlock import WriteTurn

# Each hit carries its own expiry: limits with different windows share the file.
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL, expires REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS hits_key_at ON hits (key, at)",
    "CREATE INDEX IF NOT EXISTS hits_expires ON hits (expires)",
)


class HostLimiter:
    """`amount` hits per `window` seconds per key, counted in one file for the whole host."""

    def __init__(self, path: Path, timeout: float = 3.0) -> None:
        self.path = path
        self.timeout = timeout
        self._turn = WriteTurn(path, timeout)
        self._connection: sqlite3.Connection | None = None
        self._pid = 0

    def _connect(self) -> sqlite3.Connection:
        # One connection per process: a connection must not cross a fork.
        if self._connection is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            for statement in SCHEMA:
                connection.execute(statement)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def hit(self, key: str, amount: int, window: float) -> bool:
        """Count one hit for the key; False (and not counted) once it is over the limit."""
        with self._turn.held():
            now = time.time()
            connection = self._connect()
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("DELETE FROM hits WHERE expires <= ?", (now,))
                (count,) = connection.execute(
                    "SELECT COUNT(*) FROM hits WHERE key = ? AND at > ?", (key, now - window)
                ).fetchone()
                allowed = count < amount
                if allowed:
                    connection.execute(
                        "INSERT INTO hits (key, at, expires) VALUES (?, ?, ?)",
                        (key, now, now + window),
                    )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return allowed

    def remaining(self, key: str, amount: int, window: float) -> int:
        """Hits the key has left in the current window."""
        with self._turn.held():
            (count,) = (
                self._connect()
                .execute(
                    "SELECT COUNT(*) FROM hits WHERE key = ? AND at > ?",
                    (key, time.time() - window),
                )
                .fetchone()
            )
        return max(0, amount - count)

    def reset_at(self, key: str, window: float) -> float:
        """When the key's oldest hit in the window leaves it (now, when there is none)."""
        now = time.time()
        with self._turn.held():
            (oldest,) = (
                self._connect()
                .execute("SELECT MIN(at) FROM hits WHERE key = ? AND at > ?", (key, now - window))
                .fetchone()
            )
        return (oldest + window) if oldest is not None else now

    def ping(self) -> None:
        """Raise when the file cannot be read (used by /healthz)."""
        with self._turn.held():
            self._connect().execute("SELECT 1").fetchone()
