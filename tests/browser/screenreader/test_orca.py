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

import gettext
from collections.abc import Iterator

import pytest
from playwright.sync_api import Frame, Page, Playwright

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


@pytest.fixture(scope="module", params=LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    """A module-scoped parameter: pytest runs each locale's tests one after another,
    so one desktop serves them all (three starts in all, not one per test)."""
    missing = missing_programs()
    if missing:
        pytest.skip(
            "Orca's desktop is not installed (Debian packages: "
            + ", ".join(missing)
            + "); scripts/setup --test installs it"
        )
    wanted = missing_locale(request.param)
    if wanted:
        pytest.skip(f"the system locale {wanted} is not generated; scripts/setup --test makes it")
    return request.param


@pytest.fixture(scope="module")
def orca(playwright: Playwright, locale: str) -> Iterator[tuple[OrcaDesktop, Page]]:
    """An Orca desktop in `locale`'s words and Chromium on it, for that locale's tests.

    Starting it waits for this machine's one Orca turn (see orca.LOCK_FILE);
    the turn ends when the worker moves on to another locale or module.
    """
    with orca_desktop(locale) as desktop:
        browser = desktop.launch_chromium(playwright)
        try:
            context = browser.new_context(no_viewport=True, locale=locale)
            yield desktop, context.new_page()
        finally:
            browser.close()


def arrive(desktop: OrcaDesktop, page: Page, url: str, transcript: Transcript) -> None:
    """Open a page and record what Orca says on arrival (its page summary and say-all)."""
    since, said_all = len(desktop.utterances()), desktop.says_all()
    page.goto(url)
    desktop.settle(said_all)
    said = desktop.listen(since, quiet=1.0)
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
    into_frame: bool = False,
) -> None:
    """Press Tab (recording each announcement) until an element matching `selector` has focus.

    With `into_frame`, the first Tab moves focus from the host page into a
    cross-origin iframe. Orca 43 announces that move in some runs ("form,
    Was this page helpful? panel, Yes push button") and says nothing in
    others, with the same page and keys: that step is named but not compared.
    """
    for index in range(most):
        said = desktop.press("Tab")
        if into_frame and index == 0:
            transcript.not_compared(
                "Tab into the cross-origin frame",
                "Orca 43 announces it in some runs only",
            )
        else:
            transcript.add("Tab", said)
        if focus_matches(scope, selector):
            return
    raise AssertionError(f"Tab never reached {selector}; focus is on {focused_text(scope)!r}")


@pytest.mark.parametrize("variant", ["full", "compact", "crisis"])
def test_helpline_banner_as_spoken(
    orca: tuple[OrcaDesktop, Page], service_origin: str, locale: str, variant: str
) -> None:
    desktop, page = orca
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
    orca: tuple[OrcaDesktop, Page], service_origin: str, locale: str
) -> None:
    desktop, page = orca
    transcript = Transcript(f"kratom summary, {locale}: headings, the first source and back")
    said_all = desktop.says_all()
    page.goto(f"{service_origin}/widgets/substance-summary/kratom?lang={locale}")
    desktop.settle(said_all)
    desktop.listen(len(desktop.utterances()), quiet=1.0)
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
    # Back at the citation, Orca announces the link (name, role, its
    # description); in one run of four it stopped there, in three it went on
    # to read the line around it. The announcement is what is compared.
    said = desktop.press("Return")
    transcript.add("Enter (the returned-to link's announcement is compared)", said[:2])
    assert focused_text(page) == citation, "the back link did not return to the citation"
    check(transcript, f"substance-summary.kratom.{locale}")


STATUS = "[data-widget=feedback-form] [role=status]"


def mode_announcements(locale: str) -> set[str]:
    """Orca's "Browse mode" and "Focus mode", in the words it speaks for `locale`."""
    orca = gettext.translation("orca", "/usr/share/locale", languages=[locale], fallback=True)
    return {orca.gettext("Browse mode"), orca.gettext("Focus mode")}


def without_modes(locale: str, said: list[str]) -> list[str]:
    """What Orca said, less its mode switches (see _feedback_flow)."""
    modes = mode_announcements(locale)
    return [u for u in said if u not in modes]


def announced(scope: Page | Frame, said: list[str]) -> list[str]:
    """The status message, if Orca said it: the part of a step that is the same every run.

    After Yes and after Send, Orca hears three things at once: the form
    replaced, focus moved (into the comment box, or to the status) and the
    status region's new text. Which of the first two it speaks, and in which
    order, changed from run to run on this machine (for example after Yes:
    "entry. <description>. Focus mode. Thank you. Your answer was saved." in
    one run, only "Thank you. Your answer was saved." in another). What a
    person always hears is the status message: that is what these steps compare.
    """
    message = " ".join(scope.locator(STATUS).inner_text().split())
    return [message] if message and message in said else []


def _feedback_flow(
    desktop: OrcaDesktop, page: Page, scope: Page | Frame, locale: str, transcript: Transcript
) -> None:
    tab_until(
        desktop,
        scope,
        transcript,
        "[data-widget=feedback-form] button[value=yes]",
        into_frame=scope is not page,
    )
    said = desktop.press("space", quiet=2.0)
    transcript.add("Space (the status message alone is compared)", announced(scope, said))
    assert focus_matches(scope, "textarea"), "after Yes, focus is not in the comment box"
    # Typed through the browser's input, as in Orca's focus mode: whether Orca has
    # switched to focus mode by the time a person types depends on timing, and in
    # browse mode each letter would be a navigation command instead.
    # Whether Orca switched to focus mode in the comment box (and so says
    # "Browse mode" when Tab leaves it) follows from the same race as the
    # announcement after Yes: the steps after Yes leave Orca's mode switches out.
    since = len(desktop.utterances())
    page.keyboard.type(COMMENT[locale], delay=120)
    said = without_modes(locale, desktop.listen(since, quiet=2.0))
    transcript.add(f"types “{COMMENT[locale]}”", said)
    for _ in range(6):
        said = without_modes(locale, desktop.press("Tab"))
        transcript.add("Tab (mode switches left out)", said)
        if focus_matches(scope, "[data-widget=feedback-form] .cw-button--primary"):
            break
    else:
        raise AssertionError(f"Tab never reached Send; focus is on {focused_text(scope)!r}")
    said = desktop.press("Return", quiet=2.0)
    transcript.add("Enter (the status message alone is compared)", announced(scope, said))


def test_feedback_flow_under_htmx(
    orca: tuple[OrcaDesktop, Page], harness_site: HostSite, locale: str
) -> None:
    desktop, page = orca
    transcript = Transcript(f"feedback form under htmx 2, {locale}: Yes, a comment, Send")
    url = host_page(harness_site, "htmx2", [f"{FEEDBACK}&lang={locale}"], title="Feedback")
    said_all = desktop.says_all()
    page.goto(url)
    page.wait_for_selector("[data-widget=feedback-form]")
    desktop.settle(said_all)
    desktop.listen(len(desktop.utterances()), quiet=1.0)
    _feedback_flow(desktop, page, page, locale, transcript)
    check(transcript, f"feedback-form.htmx.{locale}")


def test_feedback_flow_in_an_iframe(
    orca: tuple[OrcaDesktop, Page], harness_site: HostSite, locale: str
) -> None:
    desktop, page = orca
    transcript = Transcript(f"feedback form in an iframe, {locale}: Yes, a comment, Send")
    url = host_page(harness_site, "iframe", [f"{FEEDBACK}&lang={locale}"], title="Feedback")
    said_all = desktop.says_all()
    page.goto(url)
    frame = page.frame_locator("#slot-1")
    frame.locator("[data-widget=feedback-form]").wait_for()
    desktop.settle(said_all)
    desktop.listen(len(desktop.utterances()), quiet=1.0)
    scope = next(f for f in page.frames if "feedback-form" in f.url)
    _feedback_flow(desktop, page, scope, locale, transcript)
    check(transcript, f"feedback-form.iframe.{locale}")
