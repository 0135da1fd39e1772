"""Keyboard helpers: move focus as a keyboard-only visitor does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def tab_to(page: Page, target: Locator, most: int = 40) -> None:
    """Press Tab until `target` has focus (at most `most` presses); fail if it never does."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    expect(target).to_be_focused()
