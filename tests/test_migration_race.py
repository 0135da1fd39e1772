"""Workers that start together on a fresh database migrate one at a time, and all start.

Without preload every gunicorn worker brings the schema up to date on first
use; at the same instant they would all create the same tables. A
cross-process lock (a file lock beside an SQLite file, an advisory lock on
PostgreSQL) lets one migrate while the others wait, then find it done.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy

from tests.databases import postgres_database

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4

# Each process gets ready, waits for the word, then migrates and writes one answer.
_WORKER = """
import sys
from widget import create_app
from widget.feedback.store import save_answer

app = create_app({"SECRET_KEY": "race", "DATABASE_URL": sys.argv[1], "REQUEST_LOG": False})
print("ready", flush=True)
sys.stdin.readline()
with app.test_request_context():
    save_answer(helpful=True, comment="", page="", locale="en", partner=None)
print("ok")
"""


def _race(url: str) -> list[subprocess.CompletedProcess]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, url],
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    # All at once: the moment several fresh workers take their first request.
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def _assert_all_started_and_one_schema(url: str) -> None:
    results = _race(url)
    failures = [result.stderr[-2000:] for result in results if result.returncode != 0]
    assert failures == [], failures[0] if failures else ""
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        versions = connection.execute(sqlalchemy.text("SELECT version_num FROM alembic_version"))
        assert [row[0] for row in versions] == ["0002"]
        rows = connection.execute(sqlalchemy.text("SELECT COUNT(*) FROM feedback")).scalar()
    engine.dispose()
    assert rows == WORKERS


@pytest.mark.system
def test_four_processes_on_a_fresh_sqlite_file_all_start(tmp_path: Path) -> None:
    _assert_all_started_and_one_schema(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    # The lock is a file beside the database.
    assert (tmp_path / "fresh.sqlite3.migrate-lock").exists()


@pytest.mark.system
def test_four_processes_on_a_fresh_postgresql_database_all_start() -> None:
    with postgres_database("care_widgets_race") as url:
        _assert_all_started_and_one_schema(url)
