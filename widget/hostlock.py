"""The turn to write an SQLite file: for one thread of the host at a time, handed on at once.

SQLite lets one writer into a file at a time and makes the others sleep and
try again on its own schedule: 1 ms, then 2, 5, 10 … up to 100 ms. Our writes
take about 0.1 ms, so a writer that found the file taken slept ten or a
hundred times longer than it needed to, and every thread queued behind it
waited as long. Under the feedback-writes benchmark (two workers, 600 posts
a second) the rate-limit file's BEGIN IMMEDIATE took 1.6 ms at p90 and 10 ms
at p99, and the threads queued behind it 18 and 41 ms.

Writers take a WriteTurn first, and then meet SQLite's own lock free:

- the threads of a process, on a thread lock, which wakes the next one as
  soon as it is released;
- the processes of the host, on an exclusive flock on a file beside the
  database (`<file>.writers`), asked for again after 50 µs, 100 µs, 200 µs …
  and then every millisecond.

Every wait is bounded by the timeout given. Where the file beside the
database cannot be made (a read-only folder), processes meet on SQLite's own
lock, which keeps them correct, only slower to hand on. A forked worker
starts with a turn of its own, whatever its parent held.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import URL, make_url

FIRST_PAUSE = 0.00005
LONGEST_PAUSE = 0.001


def sqlite_file(url: str | URL) -> Path | None:
    """The file an SQLite URL names (a path or a file: URI); None for memory or another engine."""
    url = make_url(url)
    if url.get_backend_name() != "sqlite" or url.query.get("mode") == "memory":
        return None
    name = url.database or ""
    if name.startswith("file:"):
        # sqlite:///file:/path/to/db?mode=ro&uri=true
        name = urlsplit(name).path
    return Path(name) if name and name != ":memory:" else None


def beside(database: Path, suffix: str) -> Path:
    """A file next to the database, for a lock: feedback.sqlite3 → feedback.sqlite3.<suffix>."""
    return database.with_name(f"{database.name}.{suffix}")


class WriteTurn:
    """The turn to write one SQLite file (`database`), or only among threads (None)."""

    def __init__(self, database: Path | None, timeout: float) -> None:
        self.path = beside(database, "writers") if database is not None else None
        self.timeout = timeout
        self._threads = threading.Lock()
        self._fd: int | None = None  # opened on first use; -1: the file cannot be made
        _TURNS.add(self)

    def acquire(self) -> bool:
        """Take the turn; False when it is not given within the timeout."""
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            return False
        descriptor = self._descriptor()
        pause = FIRST_PAUSE
        while descriptor >= 0:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self._threads.release()
                    return False
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
        return True

    def release(self) -> None:
        if self._fd is not None and self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    @contextmanager
    def held(self) -> Iterator[None]:
        """The turn, for a block; TimeoutError when it is not given within the timeout."""
        if not self.acquire():
            raise TimeoutError(f"no turn to write within {self.timeout:g} s")
        try:
            yield
        finally:
            self.release()

    def _descriptor(self) -> int:
        # Called with the thread lock held.
        if self._fd is None:
            self._fd = -1
            if self.path is not None:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                except OSError:
                    pass
        return self._fd

    def _after_fork(self) -> None:
        # The parent's lock and descriptor are the parent's: a flock taken
        # through an inherited descriptor would be shared with it.
        self._threads = threading.Lock()
        if self._fd is not None and self._fd >= 0:
            os.close(self._fd)  # closing a copy leaves the parent's flock alone
        self._fd = None


_TURNS: weakref.WeakSet[WriteTurn] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for turn in list(_TURNS):
        turn._after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)
