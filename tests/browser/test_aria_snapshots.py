"""What a screen reader meets: the role and name tree of each banner, kept as reviewed text.

The golden files live in tests/browser/aria/. After a deliberate change,
regenerate them with `UPDATE_ARIA_SNAPSHOTS=1 scripts/test tests/browser/test_aria_snapshots.py`
and review the diff as you would review copy.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

BANNER = '[data-widget="helpline-banner"]'
GOLDEN_DIR = Path(__file__).with_name("aria")
UPDATE = os.environ.get("UPDATE_ARIA_SNAPSHOTS") == "1"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("variant", ["full", "compact", "crisis"])
def test_banner_aria_snapshot_matches_the_reviewed_text(
    page: Page, service_origin: str, variant: str, lang: str
) -> None:
    page.goto(f"{service_origin}/widgets/helpline-banner?variant={variant}&lang={lang}")
    check(page.locator(BANNER).aria_snapshot(), f"helpline-banner.{variant}.{lang}.yaml")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("query", ["", "collapsible=true"])
def test_substance_summary_aria_snapshot_matches_the_reviewed_text(
    page: Page, service_origin: str, lang: str, query: str
) -> None:
    page.goto(f"{service_origin}/widgets/substance-summary/kratom?lang={lang}&{query}")
    name = "substance-summary.kratom" + (".collapsible" if query else "") + f".{lang}.yaml"
    check(page.locator('[data-widget="substance-summary"]').aria_snapshot(), name)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_substance_index_aria_snapshot_matches_the_reviewed_text(
    page: Page, service_origin: str, lang: str
) -> None:
    page.goto(f"{service_origin}/widgets/substance-summary?lang={lang}")
    check(
        page.locator('[data-widget="substance-summary-index"]').aria_snapshot(),
        f"substance-summary-index.{lang}.yaml",
    )


@pytest.mark.parametrize("lang", ["en", "es"])
def test_feedback_form_aria_snapshot_matches_the_reviewed_text(
    page: Page, service_origin: str, lang: str
) -> None:
    page.goto(f"{service_origin}/widgets/feedback-form?lang={lang}")
    widget = page.locator('[data-widget="feedback-form"]')
    check(widget.aria_snapshot(), f"feedback-form.start.{lang}.yaml")
    page.get_by_role("button", name="Yes" if lang == "en" else "Sí", exact=True).click()
    page.wait_for_url("**state=comment**")
    check(widget.aria_snapshot(), f"feedback-form.comment.{lang}.yaml")


def check(snapshot: str, name: str) -> None:
    """Compare with the reviewed golden file (or write it when regenerating)."""
    # Instance ids are random per render (two copies must not clash): compare
    # them as a stable placeholder.
    snapshot = re.sub(r"\bcw-[0-9a-f]{8}\b", "cw-ID", snapshot)
    # The test server listens on a free port.
    snapshot = re.sub(r"http://127\.0\.0\.1:\d+", "http://SERVICE", snapshot) + "\n"
    # Signed tokens change with every form.
    snapshot = re.sub(r"entry=[\w.-]+", "entry=TOKEN", snapshot)
    golden = GOLDEN_DIR / name
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(snapshot, encoding="utf-8")
    assert golden.exists(), f"no reviewed snapshot {golden.name}: run with UPDATE_ARIA_SNAPSHOTS=1"
    assert snapshot == golden.read_text(encoding="utf-8")
