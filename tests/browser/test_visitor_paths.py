"""Every path a visitor takes, in Chromium: a direct visit, a frame, htmx, no JavaScript.

- A direct visit is a standalone page that axe passes with every rule on;
  the same address inside an iframe is the frame document (the browser's own
  Sec-Fetch-Dest tells the service which).
- After each post without htmx (a cross-origin iframe, JavaScript off) focus
  lands on the next step, read once, as under htmx.
- When the database fails, the form comes back with the visitor's text and a
  localized "not saved" in all four modes (htmx 2, htmx 4, iframe, no JS).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, expect
from werkzeug.serving import make_server

from tests.browser.axe import _ALLOW_FRAMES, _axe
from tests.browser.hosts import HostSite, examples_serve, host_page
from tests.browser.keys import tab_to
from widget import create_app
from widget.feedback.store import save_answer
from widget.feedback.tokens import entry_token

FORM = "/widgets/feedback-form?page=https://clinic.example/help"
SAVED = "Thank you. Your answer was saved."
THANKS = "Thank you for your feedback."
COMMENT_BOX = "Would you like to tell us more?"
NOT_SAVED = {
    "en": "Your feedback could not be saved just now. Please try again in a few minutes.",
    "fr": (
        "Votre avis n'a pas pu être enregistré pour le moment. "
        "Veuillez réessayer dans quelques minutes."
    ),
}
STANDALONE = [
    "/widgets/helpline-banner",
    "/widgets/helpline-banner?variant=compact&lang=ar",
    "/widgets/substance-summary?lang=zh-Hant",
    "/widgets/substance-summary/kratom?collapsible=true&lang=es",
    FORM + "&lang=fr",
]


def every_rule(page: Page | Frame) -> list[str]:
    """axe with every rule it has (not only the WCAG tags), violations as lines."""
    page.evaluate(_axe.axe_script)
    page.evaluate(_ALLOW_FRAMES)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']}: {rule['help']} at {node['target']}"
        for rule in results["violations"]
        for node in rule["nodes"]
    ]


@pytest.mark.parametrize("path", STANDALONE)
def test_a_direct_visit_is_a_page_axe_passes_with_every_rule(
    page: Page, service_origin: str, path: str
) -> None:
    page.goto(service_origin + path)
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("navigation")).to_have_count(1)
    assert not every_rule(page)
    page.problems.assert_none()


def test_the_same_address_in_an_iframe_is_the_frame_document(
    page: Page, harness_site: HostSite
) -> None:
    page.goto(host_page(harness_site, "iframe", [FORM], title="Feedback"))
    frame = page.frame_locator("#slot-1")
    expect(frame.locator("[data-widget]")).to_be_visible()
    expect(frame.locator("main")).to_have_count(0)
    expect(frame.locator("h1")).to_have_count(0)
    expect(frame.get_by_role("heading", level=2)).to_have_text("Was this page helpful?")
    # The host page keeps its one main landmark and its one h1.
    expect(page.locator("main")).to_have_count(1)


def _active(scope: Page | Frame) -> dict:
    return scope.evaluate(
        "() => ({tag: document.activeElement.tagName.toLowerCase(),"
        " role: document.activeElement.getAttribute('role'),"
        " text: document.activeElement.textContent.trim()})"
    )


def _widget_frame(page: Page) -> Frame:
    return page.frame(url=lambda url: "/widgets/feedback-form" in url)


def _focused_snapshot(scope: Page | Frame) -> str:
    return scope.locator(":focus").aria_snapshot()


def test_keyboard_in_a_cross_origin_iframe_focuses_each_next_step(
    page: Page, harness_site: HostSite
) -> None:
    page.goto(host_page(harness_site, "iframe", [FORM], title="Feedback"))
    frame = page.frame_locator("#slot-1")
    tab_to(page, frame.get_by_role("button", name="Yes", exact=True), 20)
    with page.expect_event("framenavigated"):
        page.keyboard.press("Enter")
    box = frame.get_by_role("textbox", name=COMMENT_BOX)
    expect(box).to_be_focused()
    inner = _widget_frame(page)
    assert _active(inner)["tag"] == "textarea"
    # What a screen reader meets on the focused box: its name, then the status.
    assert (
        box.evaluate(
            "el => el.getAttribute('aria-describedby').split(' ')"
            ".map(id => document.getElementById(id).textContent.trim())[0]"
        )
        == SAVED
    )
    assert 'textbox "Would you like to tell us more? (optional)"' in _focused_snapshot(inner)
    page.keyboard.type("clear and kind")
    tab_to(page, frame.get_by_role("button", name="Send"), 6)
    with page.expect_event("framenavigated"):
        page.keyboard.press("Enter")
    status = frame.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_have_text(THANKS)
    assert _active(_widget_frame(page)) == {"tag": "div", "role": "status", "text": THANKS}


def test_without_javascript_focus_lands_on_each_next_step(
    browser: Browser, service_origin: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(service_origin + FORM)
        tab_to(page, page.get_by_role("button", name="No", exact=True), 20)
        page.keyboard.press("Enter")
        page.wait_for_url("**state=comment**")
        box = page.get_by_role("textbox", name=COMMENT_BOX)
        expect(box).to_be_focused()
        assert _active(page)["tag"] == "textarea"
        page.keyboard.type("more pictures please")
        tab_to(page, page.get_by_role("button", name="Send"), 6)
        page.keyboard.press("Enter")
        page.wait_for_url("**state=thanks**")
        expect(page.get_by_role("status")).to_be_focused()
        assert _active(page) == {"tag": "div", "role": "status", "text": THANKS}
        # A screen reader meets the status and its one sentence, once.
        assert _focused_snapshot(page).strip() == f"- status:\n  - paragraph: {THANKS}"
    finally:
        context.close()


# -- a database that refuses writes ---------------------------------------------------


@pytest.fixture(scope="module")
def failing_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The service on its own port with its SQLite file opened read-only: every save fails.

    Yields its origin and the entry token of a stored answer, to open the
    comment step (the answer was stored before the database went read-only).
    """
    folder = tmp_path_factory.mktemp("failing-db")
    path = folder / "feedback.sqlite3"
    settings = {"SECRET_KEY": "browser-test-secret", "RATE_LIMIT": "off"}
    writable = create_app({**settings, "DATABASE_URL": f"sqlite:///{path}"})
    with writable.test_request_context():
        row = save_answer(helpful=True, comment="", page="", locale="en", partner=None)
        entry = entry_token(row)
    writable.extensions["care_widgets.db"].engine.dispose()
    app = create_app({**settings, "DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", entry
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def failing_host(failing_service: tuple[str, str], tmp_path_factory: pytest.TempPathFactory):
    """A partner site (another origin) embedding the failing service."""
    directory: Path = tmp_path_factory.mktemp("failing-host")
    (directory / "site.css").write_text("body { font-family: sans-serif; }")
    server = examples_serve.make_server(directory, failing_service[0])
    examples_serve.serve_in_thread(server)
    yield HostSite(server.origin, directory)
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("mode", ["htmx2", "htmx4", "iframe", "no-js"])
def test_a_failed_save_keeps_the_text_and_says_not_saved(
    browser: Browser, failing_service: tuple[str, str], failing_host: HostSite, mode: str, lang: str
) -> None:
    origin, entry = failing_service
    context = browser.new_context(java_script_enabled=mode != "no-js")
    try:
        page = context.new_page()
        url = f"{FORM}&lang={lang}&state=comment&entry={entry}"
        if mode == "no-js":
            page.goto(origin + url)
        else:
            page.goto(host_page(failing_host, mode, [url], title="Feedback"))
        scope = page.frame_locator("#slot-1") if mode == "iframe" else page
        widget = scope.locator('[data-widget="feedback-form"]')
        comment = f"kept in {mode}, {lang}"
        widget.locator("textarea").fill(comment)
        widget.locator("button[type=submit]").click()
        error = widget.locator(".cw-error-message")
        expect(error).to_contain_text(NOT_SAVED[lang])
        expect(error).to_have_count(1)
        box = widget.locator("textarea")
        expect(box).to_have_value(comment)
        if mode != "no-js" and mode != "iframe":
            # htmx swapped the answer into the widget: the host page stayed.
            assert page.url.startswith(failing_host.origin)
        if mode in ("no-js", "iframe"):
            expect(error).to_be_focused()
        # Sending again works as a form (it fails again, keeping the text).
        widget.locator("button[type=submit]").click()
        expect(widget.locator(".cw-error-message")).to_contain_text(NOT_SAVED[lang])
        expect(widget.locator("textarea")).to_have_value(comment)
    finally:
        context.close()
