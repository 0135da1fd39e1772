"""What a screen reader meets: the role and name tree of each banner, kept as reviewed text.

The golden files live in tests/browser/aria/. After a deliberate change,
regenerate them with `UPDATE_ARIA_SNAPSHOTS=1 scripts/test tests/browser/test_aria_snapshots.py`
and review the diff as you would review copy.
"""

from __future__ import annotations

import os
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
    snapshot = page.locator(BANNER).aria_snapshot() + "\n"
    golden = GOLDEN_DIR / f"helpline-banner.{variant}.{lang}.yaml"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(snapshot, encoding="utf-8")
    assert golden.exists(), f"no reviewed snapshot {golden.name}: run with UPDATE_ARIA_SNAPSHOTS=1"
    assert snapshot == golden.read_text(encoding="utf-8")
