"""The turn to write an SQLite file, for the threads and processes of a host (widget/hostlock.py).

Only what a worker relies on is checked here: one writer at a time, in this
process and in others; a turn not given in time is refused rather than
waited for without end; a forked worker does not share its parent's turn;
and a folder where the turn's file cannot be made does not stop a write.
How promptly the turn is handed on is measured by scripts/benchmark, not here.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from tests.processes import flock_held_elsewhere
from widget.hostlock import WriteTurn, beside, sqlite_file


def test_the_turn_file_sits_beside_the_database(tmp_path: Path) -> None:
    database = tmp_path / "feedback.sqlite3"
    assert WriteTurn(database, 1).path == tmp_path / "feedback.sqlite3.writers"
    assert beside(database, "migrate-lock") == tmp_path / "feedback.sqlite3.migrate-lock"


def test_one_process_at_a_time_and_a_turn_not_given_in_time_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "limits.sqlite3"
    turn = WriteTurn(database, timeout=0.3)
    with flock_held_elsewhere(beside(database, "writers")):
        assert turn.acquire() is False
    # Let go by the other process: now it is this one's, until it lets go too.
    assert turn.acquire() is True
    other = WriteTurn(database, timeout=0.2)  # another worker's, in effect
    assert other.acquire() is False
    turn.release()
    with other.held():
        assert turn.acquire() is False


def test_one_thread_at_a_time(tmp_path: Path) -> None:
    turn = WriteTurn(tmp_path / "feedback.sqlite3", timeout=0.2)
    answers: list[bool] = []
    with turn.held():
        waiting = threading.Thread(target=lambda: answers.append(turn.acquire()))
        waiting.start()
        waiting.join(5)
    assert answers == [False]
    # Without a file (an in-memory database) the threads still take turns.
    memory = WriteTurn(None, timeout=0.2)
    with memory.held():
        waiting = threading.Thread(target=lambda: answers.append(memory.acquire()))
        waiting.start()
        waiting.join(5)
    assert answers == [False, False]


def test_a_forked_worker_takes_its_own_turn(tmp_path: Path) -> None:
    turn = WriteTurn(tmp_path / "feedback.sqlite3", timeout=0.2)
    assert turn.acquire()
    try:
        child = os.fork()
        if child == 0:  # the worker: the same object, after the fork
            # Not the parent's thread lock (that one was held at the fork), but
            # the file's flock, which the parent holds: refused in time.
            os._exit(0 if turn.acquire() is False and not turn._threads.locked() else 1)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0, "the child shared the parent's turn"
    finally:
        turn.release()


def test_where_the_file_cannot_be_made_writers_fall_back_on_sqlites_own_lock(
    tmp_path: Path,
) -> None:
    # A folder that is a file (or read-only): no turn file, and no error for
    # the writer, who then meets SQLite's lock as before.
    (tmp_path / "not-a-folder").write_text("")
    turn = WriteTurn(tmp_path / "not-a-folder" / "db.sqlite3", timeout=0.2)
    assert turn.acquire() is True
    turn.release()


def test_the_file_of_an_sqlite_url() -> None:
    assert sqlite_file("sqlite:////srv/cw/feedback.sqlite3") == Path("/srv/cw/feedback.sqlite3")
    # A URI filename, as the read-only checks of the tests open it.
    uri = "sqlite:///file:/srv/cw/feedback.sqlite3?mode=ro&uri=true"
    assert sqlite_file(uri) == Path("/srv/cw/feedback.sqlite3")
    for no_file in (
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:shared?mode=memory&cache=shared&uri=true",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    ):
        assert sqlite_file(no_file) is None
