"""Open each target page in Chromium, bring its widgets to the example's step, and check them."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from widget.audit import browser as chromium
from widget.audit.checks import PageAudit, WidgetFrame, widget_frames
from widget.audit.findings import TargetResult, from_check
from widget.audit.matrix import Target

WAIT_SECONDS = 15.0
FORM = '[data-widget="feedback-form"]'
# A comment a visitor might write: no personal details, well under the limit.
COMMENT = "Clear and kind, thank you."


def _count(page: Page, selector: str) -> int:
    total = 0
    for frame in page.frames:
        try:
            total += frame.locator(selector).count()
        except PlaywrightError:
            pass
    return total


def _wait(page: Page, done: Callable[[], bool], seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if done():
                return True
        except PlaywrightError:
            pass  # a frame navigated while we looked
        page.wait_for_timeout(100)
    return False


def _roots(page: Page) -> int:
    return sum(len(wf.widgets) for wf in widget_frames(page))


def _greeted(page: Page) -> bool:
    """Every widget frame that the host's embed.js sizes has had its hello.

    Until then a later copy is still a landmark of the same name as the first
    (frame.js makes it a group when embed.js says it is a copy), and the frame
    keeps its default height.
    """
    if not page.main_frame.locator('script[src*="/static/embed.js"]').count():
        return True
    for frame in page.frames:
        if frame.parent_frame is None or not frame.locator("[data-widget]").count():
            continue
        if frame.frame_element().get_attribute("data-cw-autoheight") is None:
            continue
        if not frame.evaluate("document.documentElement.classList.contains('cw-autoheight')"):
            return False
    return True


def _press_each(page: Page, selector: str, copies: int, before_state: Callable[[], int]) -> None:
    """Activate `selector` in each copy, one after another, as a visitor would."""
    for done in range(copies):
        for frame in page.frames:
            button = frame.locator(selector)
            try:
                if button.count():
                    button.first.click()
                    break
            except PlaywrightError:
                continue
        _wait(page, lambda d=done: before_state() > d)


def reach_state(page: Page, target: Target) -> bool:
    """Bring every copy of a feedback form to the example's step (comment or thanks)."""
    state = target.example.state if target.example else None
    if state not in ("comment", "thanks"):
        return True
    copies = target.copies
    textareas = lambda: _count(page, f"{FORM} textarea")  # noqa: E731
    _press_each(page, f'{FORM} button[name="helpful"][value="yes"]', copies, textareas)
    if not _wait(page, lambda: textareas() >= copies):
        return False
    if state == "comment":
        return True
    thanked = lambda: copies - _count(page, f"{FORM} form")  # noqa: E731
    for done in range(copies):
        for frame in page.frames:
            area = frame.locator(f"{FORM} textarea")
            try:
                if area.count():
                    area.first.fill(COMMENT)
                    frame.locator(f"{FORM} form").first.locator(
                        'button[type="submit"]:not([name])'
                    ).click()
                    break
            except PlaywrightError:
                continue
        _wait(page, lambda d=done: thanked() > d)
    return _wait(page, lambda: _count(page, f"{FORM} form") == 0)


def embedding(wf: WidgetFrame, widget: dict) -> str:
    """How the page embeds a widget: "iframe", "htmx" (swapped into a placeholder) or "bare".

    Bare is markup in the page itself: a widget's own document, a static
    export, or a copy pasted into the page.
    """
    if wf.chain:
        return "iframe"
    return "htmx" if widget.get("htmx") else "bare"


def _file_name(target_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", target_id)[:80]


def audit_page(
    page: Page,
    target: Target,
    screenshots: Path | None = None,
    ready: Callable[[], None] | None = None,
) -> tuple[TargetResult, list[WidgetFrame]]:
    """Check one target page that is already open in `page`.

    `ready` is called once the widgets are there, before any check changes the page.
    """
    started = time.monotonic()
    result = TargetResult(id=target.id, url=target.url, mode=target.mode, locale=target.locale)
    expected = target.copies if target.example else 1
    if not _wait(page, lambda: _roots(page) >= expected):
        found = _roots(page)
        item = {"selector": "html", "html": "", "widget": None}
        detail = f"{found} of {expected} widgets after {WAIT_SECONDS:g} s"
        result.findings.append(
            from_check("widget-missing", item, page.url, detail=detail, impact="critical")
        )
        if not found:
            result.seconds = time.monotonic() - started
            return result, []
    if not reach_state(page, target):
        item = {"selector": "html", "html": "", "widget": "feedback-form"}
        detail = f"could not reach the step {target.example.state!r}"
        result.findings.append(from_check("widget-missing", item, page.url, detail=detail))
    _wait(page, lambda: _greeted(page))
    page.wait_for_timeout(100)  # let widgets.js settle ids and focus after the last swap
    if ready is not None:
        ready()
    frames = widget_frames(page)
    result.widgets = [
        {
            "frame": wf.url,
            **{k: w[k] for k in ("name", "lang", "dir", "selector")},
            "embedding": embedding(wf, w),
        }
        for wf in frames
        for w in wf.widgets
    ]
    audit = PageAudit(
        page, bare=target.bare, screenshots=screenshots, shot_prefix=_file_name(target.id)
    )
    audit.run(frames)
    result.findings.extend(audit.findings)
    result.checks = audit.checks
    result.seconds = round(time.monotonic() - started, 2)
    return result, frames


@contextmanager
def opened(browser: Browser, target: Target) -> Iterator[Page]:
    """A fresh visitor's page on the target's URL (asking for the target's locale)."""
    context = chromium.new_context(browser, target.locale if target.mode == "page" else None)
    try:
        page = context.new_page()
        page.goto(target.url, wait_until="load", timeout=30_000)
        yield page
    finally:
        context.close()


def run(
    targets: list[Target],
    url_for: Callable[[Target], str],
    screenshots: Path | None = None,
    progress: Callable[[int, int, TargetResult], None] | None = None,
    executable: str | None = None,
) -> tuple[list[TargetResult], str]:
    """Audit every target in one Chromium; `progress` hears of each one as it ends.

    Returns the results and the browser's name and version.
    """
    results = []
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright, executable)
        version = f"Chromium {browser.version}"
        try:
            for index, target in enumerate(targets, start=1):
                target = _with_url(target, url_for(target))
                try:
                    with opened(browser, target) as page:
                        result, _ = audit_page(page, target, screenshots)
                except PlaywrightError as error:
                    result = TargetResult(target.id, target.url, target.mode, target.locale)
                    result.error = str(error).splitlines()[0]
                results.append(result)
                if progress:
                    progress(index, len(targets), result)
        finally:
            browser.close()
    return results, version


def _with_url(target: Target, url: str) -> Target:
    from dataclasses import replace

    return replace(target, url=url)
