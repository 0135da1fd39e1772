"""Editing the helpline facts while the service runs: the next render shows the edit.

One number lives in helplines.yaml; the banner, every summary's emergency
callout and every {{contact:ID}} in the text read it from there. Before issue
14 the loaded lines were cached for the life of the process.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.helpers import HTMX
from tests.test_production_server import http, needs_server, start_server
from widget import fragment_cache
from widget.helpline.facts import FACTS_FILE
from widget.phone import spaced


def copy_facts(tmp_path: Path) -> Path:
    """A private copy of the facts file for the app under test to read."""
    target = tmp_path / "helplines.yaml"
    shutil.copy(FACTS_FILE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in the file and move its modification time on, as an editor would."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    later = time.time() + 2
    os.utime(path, (later, later))


def new_helpline_number(path: Path) -> None:
    """The SAMHSA line moves to 1-800-555-0199; its keypad form (…-HELP) goes with the old one."""
    edit(path, '"+18006624357"', '"+18005550199"')
    edit(path, '        mnemonic: "1-800-662-HELP"\n', "")


def page(app: Flask, url: str) -> str:
    response = app.test_client().get(url, headers=HTMX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def running(make_app: Callable[..., Flask], tmp_path: Path, monkeypatch) -> tuple[Flask, Path]:
    """An app (fragment cache on) reading a copy of the facts file."""
    # The cache looks at its sources once a second; here at every request.
    monkeypatch.setattr(fragment_cache, "CHECK_EVERY", 0.0)
    facts = copy_facts(tmp_path)
    return make_app(HELPLINE_FACTS_FILE=str(facts)), facts


def test_a_changed_number_shows_in_the_banner_on_the_next_render(running) -> None:
    app, facts = running
    before = page(app, "/widgets/helpline-banner")
    assert 'href="tel:+18006624357"' in before
    new_helpline_number(facts)
    after = page(app, "/widgets/helpline-banner")
    assert 'href="tel:+18005550199"' in after
    assert spaced("1-800-555-0199") in after
    assert spaced("1-800-662-4357") not in after


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_a_changed_number_shows_in_every_summary_and_language(running, lang: str) -> None:
    app, facts = running
    url = f"/widgets/substance-summary/kratom?lang={lang}"
    assert 'href="tel:+18002221222"' in page(app, url)
    edit(facts, '"+18002221222"', '"+18005550123"')
    after = page(app, url)
    # The emergency callout's Poison Help button, from the facts file.
    assert 'href="tel:+18005550123"' in after
    assert spaced("1-800-555-0123") in after
    assert spaced("222-1222") not in after


def test_a_number_referenced_in_the_text_changes_with_the_facts(running) -> None:
    app, facts = running
    url = "/widgets/substance-summary/opioids"
    assert 'class="cw-link cw-tel" href="tel:+18006624357"' in page(app, url)
    new_helpline_number(facts)
    after = page(app, url)
    link = (
        f'class="cw-link cw-tel" href="tel:+18005550199" dir="ltr">{spaced("1-800-555-0199")}</a>'
    )
    assert link in after


def test_a_broken_edit_keeps_the_last_good_facts(running) -> None:
    app, facts = running
    page(app, "/widgets/helpline-banner")
    edit(facts, '"+18006624357"', '"662-HELP"')  # not a number: refused
    kept = page(app, "/widgets/helpline-banner")
    assert 'href="tel:+18006624357"' in kept
    # Dropping a line the pages still refer to is refused too.
    edit(facts, '"662-HELP"', '"+18006624357"')
    edit(facts, "id: poison-help-call", "id: poison-line")
    assert 'href="tel:+18002221222"' in page(app, "/widgets/substance-summary/kratom")


def test_a_new_number_under_the_old_keypad_letters_is_refused(running) -> None:
    # 1-800-662-HELP would send callers to the old number: the edit is
    # refused whole and the banner keeps the last good facts.
    app, facts = running
    page(app, "/widgets/helpline-banner")
    edit(facts, '"+18006624357"', '"+18005550199"')
    kept = page(app, "/widgets/helpline-banner")
    assert 'href="tel:+18006624357"' in kept
    assert 'href="tel:+18005550199"' not in kept


@pytest.mark.system
@needs_server
def test_a_running_production_server_serves_the_edit_without_a_restart(tmp_path: Path) -> None:
    facts = copy_facts(tmp_path)
    server = start_server(
        tmp_path / "gunicorn.log",
        WIDGET_DATABASE_URL=f"sqlite:///{tmp_path / 'service.sqlite3'}",
        WIDGET_SECRET_KEY="reload-test-secret",
        WIDGET_HELPLINE_FACTS_FILE=str(facts),
    )
    try:
        url = f"{server.origin}/widgets/helpline-banner"
        for _ in range(4):  # both workers have rendered (and cached) the banner
            assert b"tel:+18006624357" in http(url, headers=HTMX)[2]
        new_helpline_number(facts)
        time.sleep(fragment_cache.CHECK_EVERY + 0.2)
        pid = server.process.pid
        for _ in range(6):
            status, _, body = http(url, headers=HTMX)
            assert status == 200
            assert b"tel:+18005550199" in body, body.decode()[:400]
            assert b"tel:+18006624357" not in body
        assert server.process.pid == pid and server.process.poll() is None
    finally:
        server.stop()
