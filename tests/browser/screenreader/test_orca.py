"""What Orca, the GNOME screen reader, says when a person uses each widget with the keyboard.

Each test drives Debian's Chromium in a real window on a virtual screen, with
Orca listening over the AT-SPI bus, presses the keys a screen reader user
presses (through the X server, as a keyboard would) and compares what Orca
said with a reviewed transcript in `transcripts/`. Orca's own words (roles,
states) are in the desktop's language, as a Spanish or Arabic user hears them.

Regenerate after a deliberate change: `UPDATE_TRANSCRIPTS=1 scripts/test
tests/browser/screenreader`, then read the diff as you would read copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Frame, Page, Playwright

from tests.browser.hosts import HostSite, host_page
from tests.browser.screenreader.orca import (
    OrcaDesktop,
    missing_locale,
    missing_programs,
    orca_desktop,
)
from tests.browser.screenreader.transcript import Transcript, check

LOCALES = ("en", "es", "ar")
FEEDBACK = "/widgets/feedback-form?page=https://clinic.example/help"
COMMENT = {"en": "Clear page", "es": "Muy clara", "ar": "Clear"}

pytestmark = pytest.mark.screenreader


class Desktops:
    """One Orca desktop and one Chromium at a time, switched when the locale changes."""

    def __init__(self, playwright: Playwright) -> None:
        self.playwright = playwright
        self.locale: str | None = None
        self.desktop: OrcaDesktop | None = None
        self.browser: Browser | None = None
        self.page: Page | None = None
        self._context = None

    def get(self, locale: str) -> tuple[OrcaDesktop, Page]:
        if locale != self.locale:
            self.close()
            self._context = orca_desktop(locale)
            self.desktop = self._context.__enter__()
            self.browser = self.desktop.launch_chromium(self.playwright)
            context = self.browser.new_context(no_viewport=True, locale=locale)
            self.page = context.new_page()
            self.locale = locale
        assert self.desktop and self.page
        return self.desktop, self.page

    def close(self) -> None:
        if self.browser:
            self.browser.close()
        if self._context:
            self._context.__exit__(None, None, None)
        self.browser = self.desktop = self.page = self._context = None
        self.locale = None


@pytest.fixture(scope="session")
def desktops(playwright: Playwright) -> Iterator[Desktops]:
    if os.environ.get("CARE_WIDGETS_ORCA") != "1":
        pytest.skip(
            "Orca transcripts run only with CARE_WIDGETS_ORCA=1: under two parallel test "
            "workers they are not yet reliable (docs/screen-readers.md, 'Status')"
        )
    missing = missing_programs()
    if missing:
        pytest.skip(
            "Orca's desktop is not installed (Debian packages: "
            + ", ".join(missing)
            + "); scripts/setup --test installs it"
        )
    holder = Desktops(playwright)
    yield holder
    holder.close()


@pytest.fixture(params=LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    wanted = missing_locale(request.param)
    if wanted:
        pytest.skip(f"the system locale {wanted} is not generated; scripts/setup --test makes it")
    return request.param


def arrive(desktop: OrcaDesktop, page: Page, url: str, transcript: Transcript) -> None:
    """Open a page and record what Orca says on arrival (its page summary and say-all)."""
    since = len(desktop.utterances())
    page.goto(url)
    said = desktop.listen(since, quiet=2.0, limit=30)
    # Orca names the window and says it is loading, then that it finished
    # loading the page (by its title): what a person hears starts there.
    title = page.title()
    finished = max((i for i, u in enumerate(said) if title and title in u), default=-1)
    transcript.add("page loads", said[finished:] if finished >= 0 else said)


def focused_text(scope: Page | Frame) -> str:
    return scope.evaluate("() => (document.activeElement?.textContent || '').trim()")


def focus_matches(scope: Page | Frame, selector: str) -> bool:
    return scope.evaluate("(s) => !!document.activeElement?.matches(s)", selector)


def tab_until(
    desktop: OrcaDesktop,
    scope: Page | Frame,
    transcript: Transcript,
    selector: str,
    most: int = 20,
) -> None:
    """Press Tab (recording each announcement) until an element matching `selector` has focus."""
    for _ in range(most):
        transcript.add("Tab", desktop.press("Tab"))
        if focus_matches(scope, selector):
            return
    raise AssertionError(f"Tab never reached {selector}; focus is on {focused_text(scope)!r}")


@pytest.mark.parametrize("variant", ["full", "compact", "crisis"])
def test_helpline_banner_as_spoken(
    desktops: Desktops, service_origin: str, locale: str, variant: str
) -> None:
    desktop, page = desktops.get(locale)
    transcript = Transcript(f"helpline banner, {variant}, {locale}: arrival, then Tab three times")
    arrive(
        desktop,
        page,
        f"{service_origin}/widgets/helpline-banner?variant={variant}&lang={locale}",
        transcript,
    )
    for _ in range(3):
        transcript.add("Tab", desktop.press("Tab"))
    check(transcript, f"helpline-banner.{variant}.{locale}")


def test_kratom_summary_to_the_first_source_and_back(
    desktops: Desktops, service_origin: str, locale: str
) -> None:
    desktop, page = desktops.get(locale)
    transcript = Transcript(f"kratom summary, {locale}: headings, the first source and back")
    page.goto(f"{service_origin}/widgets/substance-summary/kratom?lang={locale}")
    desktop.listen(len(desktop.utterances()), quiet=2.0, limit=30)
    transcript.add("Control+Home", desktop.press("ctrl+Home"))
    for _ in range(3):
        transcript.add("H (next heading)", desktop.press("h"))
    tab_until(desktop, page, transcript, ".cw-cite__link")
    citation = focused_text(page)
    transcript.add("Enter", desktop.press("Return"))
    followed = page.evaluate("() => location.hash.includes('-source-')")
    assert followed, "Enter did not follow the citation to its source"
    for _ in range(4):
        transcript.add("Tab", desktop.press("Tab"))
        if page.evaluate("() => document.activeElement?.classList.contains('cw-back-link')"):
            break
    transcript.add("Enter", desktop.press("Return"))
    assert focused_text(page) == citation, "the back link did not return to the citation"
    check(transcript, f"substance-summary.kratom.{locale}")


def _feedback_flow(
    desktop: OrcaDesktop, page: Page, scope: Page | Frame, locale: str, transcript: Transcript
) -> None:
    tab_until(desktop, scope, transcript, "[data-widget=feedback-form] button[value=yes]")
    transcript.add("Space", desktop.press("space", quiet=2.0))
    assert focus_matches(scope, "textarea"), "after Yes, focus is not in the comment box"
    # Typed through the browser's input, as in Orca's focus mode: whether Orca has
    # switched to focus mode by the time a person types depends on timing, and in
    # browse mode each letter would be a navigation command instead.
    since = len(desktop.utterances())
    page.keyboard.type(COMMENT[locale], delay=120)
    transcript.add(f"types “{COMMENT[locale]}”", desktop.listen(since, quiet=2.0))
    tab_until(desktop, scope, transcript, "[data-widget=feedback-form] .cw-button--primary", 6)
    transcript.add("Enter", desktop.press("Return", quiet=2.0))


def test_feedback_flow_under_htmx(desktops: Desktops, harness_site: HostSite, locale: str) -> None:
    desktop, page = desktops.get(locale)
    transcript = Transcript(f"feedback form under htmx 2, {locale}: Yes, a comment, Send")
    url = host_page(harness_site, "htmx2", [f"{FEEDBACK}&lang={locale}"], title="Feedback")
    page.goto(url)
    page.wait_for_selector("[data-widget=feedback-form]")
    desktop.listen(len(desktop.utterances()), quiet=2.0, limit=30)
    _feedback_flow(desktop, page, page, locale, transcript)
    check(transcript, f"feedback-form.htmx.{locale}")


def test_feedback_flow_in_an_iframe(
    desktops: Desktops, harness_site: HostSite, locale: str
) -> None:
    desktop, page = desktops.get(locale)
    transcript = Transcript(f"feedback form in an iframe, {locale}: Yes, a comment, Send")
    url = host_page(harness_site, "iframe", [f"{FEEDBACK}&lang={locale}"], title="Feedback")
    page.goto(url)
    frame = page.frame_locator("#slot-1")
    frame.locator("[data-widget=feedback-form]").wait_for()
    desktop.listen(len(desktop.utterances()), quiet=2.0, limit=30)
    scope = next(f for f in page.frames if "feedback-form" in f.url)
    _feedback_flow(desktop, page, scope, locale, transcript)
    check(transcript, f"feedback-form.iframe.{locale}")
