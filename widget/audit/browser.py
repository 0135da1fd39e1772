"""Chromium for the audit and the browser tests: Debian's build by default, any other by choice.

A browser download (`playwright install`) cannot be used on the project's
machines, so Playwright drives the Chromium at CARE_WIDGETS_CHROMIUM
(default /usr/bin/chromium); an empty value means Playwright's own browser.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Playwright is needed only when a browser starts
    from playwright.sync_api import Browser, BrowserContext, Playwright

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# The flags a closed network needs: without them Chromium keeps calling home.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1024, "height": 900}


class BrowserMissing(RuntimeError):
    """No Chromium where we were told to look; the message says what to do."""


def chromium_path() -> str:
    """The Chromium executable to drive ('' for Playwright's own browser)."""
    return os.environ.get("CARE_WIDGETS_CHROMIUM", DEFAULT_CHROMIUM)


def launch(playwright: Playwright, executable: str | None = None) -> Browser:
    """Headless Chromium, or BrowserMissing naming the path and the way out."""
    path = chromium_path() if executable is None else executable
    if path and not os.access(path, os.X_OK):
        raise BrowserMissing(
            f"No Chromium at {path}: install Debian's chromium package (scripts/test does), "
            "or set CARE_WIDGETS_CHROMIUM to a browser executable ('' for Playwright's own)."
        )
    return playwright.chromium.launch(executable_path=path or None, args=LAUNCH_ARGS)


def new_context(browser: Browser, locale: str | None = None) -> BrowserContext:
    """A fresh visitor: desktop-sized window, no cache, asking for `locale` first if given."""
    headers = {"Accept-Language": f"{locale},en;q=0.5"} if locale else {}
    return browser.new_context(viewport=DESKTOP, extra_http_headers=headers)
