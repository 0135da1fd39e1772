"""The turn to write an SQLite file, shared by the processes of a host (widget/hostlock.py).

Only what a worker relies on is checked here: one process at a time holds
it, a turn not given in time is refused rather than waited for without end,
and a forked worker does not share its parent's turn. How promptly the turn
is handed on is measured by scripts/benchmark, not here.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.processes import flock_held_elsewhere
from widget.hostlock import FileTurn, turn_file


def test_the_turn_file_sits_beside_the_database(tmp_path: Path) -> None:
    assert turn_file(tmp_path / "feedback.sqlite3") == tmp_path / "feedback.sqlite3.writers"


def test_one_process_at_a_time_and_a_turn_not_given_in_time_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "limits.sqlite3.writers"
    turn = FileTurn(path, timeout=0.3)
    with flock_held_elsewhere(path):
        assert turn.acquire() is False
    # Let go by the other process: now it is this one's, until it lets go too.
    assert turn.acquire() is True
    other = FileTurn(path, timeout=0.2)
    assert other.acquire() is False
    turn.release()
    with other.held():
        assert turn.acquire() is False


def test_a_forked_worker_takes_its_own_turn(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3.writers"
    turn = FileTurn(path, timeout=0.2)
    assert turn.acquire()
    try:
        child = os.fork()
        if child == 0:  # the worker: the same object, after the fork
            os._exit(0 if turn.acquire() is False else 1)
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
    turn = FileTurn(tmp_path / "not-a-folder" / "db.sqlite3.writers", timeout=0.2)
    assert turn.acquire() is True
    turn.release()


def test_the_file_of_an_sqlite_url() -> None:
    from widget.db import sqlite_file

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
