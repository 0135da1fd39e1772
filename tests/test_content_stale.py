"""`flask --app widget content stale`: the facts whose last check is getting old."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from tests.substances import copy_content
from widget import create_app
from widget.freshness import months_before
from widget.helpline.facts import FACTS_FILE


def set_first(path: Path, pattern: str, date: dt.date) -> None:
    """Give the first date after `pattern` in the file a new value."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(
        pattern + r"\d{4}-\d{2}-\d{2}",
        lambda m: m.group(0)[:-10] + date.isoformat(),
        text,
        count=1,
    )
    assert count == 1, pattern
    path.write_text(new, encoding="utf-8")


@pytest.fixture
def stale_app(tmp_path: Path):
    """An app whose kratom check and 988 call record are seven months old."""
    old = months_before(dt.date.today(), 7)
    content = copy_content(tmp_path)
    set_first(content / "kratom" / "en.yaml", r"\n    checked: ", old)
    facts = tmp_path / "helplines.yaml"
    shutil.copy(FACTS_FILE, facts)
    set_first(facts, r"id: 988-call\n(?:.*\n)*?.*checked: \{date: ", old)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SUBSTANCE_CONTENT_DIR": str(content),
            "HELPLINE_FACTS_FILE": str(facts),
        }
    )
    return app, old


def test_old_checks_are_listed_and_the_exit_status_is_1(stale_app) -> None:
    app, old = stale_app
    result = app.test_cli_runner().invoke(args=["content", "stale"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    listed = [line for line in lines if line.startswith(old.isoformat())]
    assert len(listed) == 2, result.output
    assert any("kratom/en.yaml checks[0]" in line for line in listed)
    assert any("helplines.yaml lifeline-988 988-call" in line for line in listed)
    # Each record says what to check it against.
    assert sum("check against: https://" in line for line in lines) == 2
    assert re.search(r"^2 of \d+ checked facts are older than 6 months\.$", result.output, re.M)


def test_a_longer_window_lists_nothing_and_exits_0(stale_app) -> None:
    app, _ = stale_app
    result = app.test_cli_runner().invoke(args=["content", "stale", "--months", "8"])
    assert result.exit_code == 0, result.output
    assert "were checked in the last 8 months" in result.output


def test_the_shipped_content_and_facts_are_fresh() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t"})
    result = app.test_cli_runner().invoke(args=["content", "stale"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 12, 6), 6, dt.date(2026, 6, 6)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2027, 1, 15), 13, dt.date(2025, 12, 15)),
    ],
)
def test_months_before_counts_calendar_months(day, months, expected) -> None:
    assert months_before(day, months) == expected
