"""A turn at writing an SQLite file, for every process of the host, handed on at once.

SQLite lets one writer into a file at a time and makes the others sleep and
try again on its own schedule: 1 ms, then 2, 5, 10 … up to 100 ms. Our writes
take about 0.1 ms, so a worker that found the file taken slept ten or a
hundred times longer than it needed to, and every thread of that worker
queued behind it waited as long. Under the feedback-writes benchmark (two
workers, 600 posts a second) the rate-limit file's BEGIN IMMEDIATE took
1.6 ms at p90 and 10 ms at p99, and the threads queued behind it 18 and 41 ms.

Writers take a FileTurn first: an exclusive flock on a file beside the
database, asked for again after 50 µs, 100 µs, 200 µs … and then every
millisecond. A writer holding its turn meets SQLite's own lock free, so SQLite
never sleeps. Threads of one process still take turns on a thread lock of
their own before this (flock is held by a process, not a thread).

Every wait is bounded: TimeoutError (an OSError) after the timeout given.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FIRST_PAUSE = 0.00005
LONGEST_PAUSE = 0.001


class FileTurn:
    """An exclusive flock on `path`, held by one process of the host at a time."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd = -1
        self._pid = 0

    def _descriptor(self) -> int:
        """The file's descriptor in this process; -1 when the file cannot be opened.

        One descriptor per process: a lock taken through a descriptor inherited
        across a fork would be the parent's too. Where the file cannot be made
        (a read-only folder), writers meet on SQLite's own lock, which keeps
        them correct, only slower to hand on.
        """
        if self._pid != os.getpid():
            self._pid = os.getpid()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                self._fd = -1
        return self._fd

    def acquire(self) -> bool:
        """Take the turn (the caller's threads take turns among themselves first).

        False when it is not given within the timeout.
        """
        descriptor = self._descriptor()
        if descriptor < 0:
            return True
        deadline = time.monotonic() + self.timeout
        pause = FIRST_PAUSE
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    @contextmanager
    def held(self) -> Iterator[None]:
        """The turn, for a block; TimeoutError when it is not given within the timeout."""
        if not self.acquire():
            raise TimeoutError(f"no turn to write {self.path.name} within {self.timeout:g} s")
        try:
            yield
        finally:
            self.release()


def turn_file(database: Path) -> Path:
    """The file whose flock gives the turn to write `database`."""
    return database.with_name(database.name + ".writers")
