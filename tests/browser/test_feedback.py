"""The feedback form in Chromium, in every embedding mode, by mouse and by keyboard."""

from __future__ import annotations

import random
import string

import pytest
from playwright.sync_api import Browser, Frame, FrameLocator, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.hosts import HostSite, host_page
from tests.browser.keys import tab_to
from tests.feedback import stored

WIDGET = '[data-widget="feedback-form"]'
FORM_PATH = "/widgets/feedback-form?page=https://clinic.example/help"
THANKS = {"en": "Thank you for your feedback.", "es": "Gracias por su opinión."}
SAVED = {"en": "Thank you. Your answer was saved.", "es": "Gracias. Su respuesta quedó guardada."}
NAMES = {
    "en": {"yes": "Yes", "no": "No", "send": "Send", "comment": "Would you like to tell us more?"},
    "es": {"yes": "Sí", "no": "No", "send": "Enviar", "comment": "¿Quiere contarnos algo más?"},
}


def open_form(page: Page, site: HostSite, mode: str, lang: str) -> Page | FrameLocator:
    page.goto(host_page(site, mode, [f"{FORM_PATH}&lang={lang}"], title="Feedback"))
    scope: Page | FrameLocator = page.frame_locator("#slot-1") if mode == "iframe" else page
    expect(scope.locator(WIDGET)).to_be_visible()
    return scope


def unique() -> str:
    """Letters only: a long digit run could be redacted as a card number."""
    return "".join(random.choices(string.ascii_lowercase, k=12))


def count_rows(service_app, comment: str) -> int:
    return sum(1 for row in stored(service_app) if row.comment == comment)


@pytest.mark.parametrize("answer", ["yes", "no"])
@pytest.mark.parametrize("mode", ["htmx2", "htmx4", "iframe"])
def test_answer_and_comment_reach_the_thanks_state(
    page: Page, harness_site: HostSite, service_app, mode: str, answer: str
) -> None:
    scope = open_form(page, harness_site, mode, "en")
    status = scope.locator(f"{WIDGET} [role=status]")
    status_before = status.element_handle()
    scope.get_by_role("button", name=NAMES["en"][answer], exact=True).click()
    expect(status).to_have_text(SAVED["en"])
    comment = f"{mode} {answer} {unique()}"
    box = scope.get_by_role("textbox", name=NAMES["en"]["comment"])
    box.fill(comment)
    scope.get_by_role("button", name="Send").click()
    expect(status).to_have_text(THANKS["en"])
    if mode != "iframe":
        # The live region announcing the thanks existed before the submission.
        assert status_before.evaluate("el => el.isConnected")
    assert count_rows(service_app, comment) == 1
    page.problems.assert_none()


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_without_javascript_the_form_posts_redirects_and_thanks(
    browser: Browser, service_origin: str, service_app, answer: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{service_origin}{FORM_PATH}&lang=es")
        page.get_by_role("button", name=NAMES["es"][answer], exact=True).click()
        expect(page.get_by_role("status")).to_have_text(SAVED["es"])
        comment = f"sin js {answer} {unique()}"
        page.get_by_role("textbox", name=NAMES["es"]["comment"]).fill(comment)
        page.get_by_role("button", name="Enviar").click()
        expect(page.get_by_role("status")).to_have_text(THANKS["es"])
        assert "state=thanks" in page.url
        assert count_rows(service_app, comment) == 1
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["htmx2", "htmx4"])
def test_whole_flow_by_keyboard_alone(
    page: Page, harness_site: HostSite, service_app, mode: str
) -> None:
    open_form(page, harness_site, mode, "en")
    yes = page.get_by_role("button", name="Yes", exact=True)
    tab_to(page, yes, 20)
    page.keyboard.press("Enter")
    # Focus moves on to the comment box the answer revealed.
    box = page.get_by_role("textbox", name=NAMES["en"]["comment"])
    expect(box).to_be_focused()
    comment = f"keyboard {mode} {unique()}"
    page.keyboard.type(comment)
    send = page.get_by_role("button", name="Send")
    tab_to(page, send, 6)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(THANKS["en"])
    assert count_rows(service_app, comment) == 1


def test_status_region_is_in_the_accessibility_tree_before_any_message(
    page: Page, harness_site: HostSite
) -> None:
    open_form(page, harness_site, "htmx2", "en")
    # An empty live region that is display:none is not a live region at all.
    status = page.get_by_role("status")
    expect(status).to_have_count(1)
    expect(status).to_be_attached()
    assert "status" in page.locator(WIDGET).aria_snapshot()


def _reach_comment(page: Page, site: HostSite, lang: str) -> None:
    open_form(page, site, "htmx4", lang)
    page.get_by_role("button", name=NAMES[lang]["yes"], exact=True).click()
    expect(page.get_by_role("textbox", name=NAMES[lang]["comment"])).to_be_visible()


def test_count_is_announced_only_after_a_pause(page: Page, harness_site: HostSite) -> None:
    _reach_comment(page, harness_site, "en")
    box = page.get_by_role("textbox", name=NAMES["en"]["comment"])
    live = page.locator(".cw-visually-hidden[aria-live=polite]")
    visible = page.locator(".cw-count")
    box.focus()
    page.keyboard.type("Helpful page", delay=60)
    # The visible count follows every keystroke; the live region stays quiet.
    expect(visible).to_have_text("88 characters left")
    assert live.text_content() == ""
    expect(visible).to_have_attribute("aria-hidden", "true")
    page.wait_for_timeout(1600)
    expect(live).to_have_text("88 characters left")


def test_over_limit_is_an_error_on_the_page_and_from_the_server(
    page: Page, harness_site: HostSite, service_app
) -> None:
    _reach_comment(page, harness_site, "es")
    box = page.get_by_role("textbox", name=NAMES["es"]["comment"])
    text = "x" * 103
    box.fill(text)
    expect(page.locator(".cw-count")).to_have_text("Sobran 3 caracteres")
    expect(box).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Enviar").click()
    error = page.locator(".cw-error-message")
    expect(error).to_contain_text("Su comentario tiene 3 caracteres de más.")
    box = page.get_by_role("textbox", name=NAMES["es"]["comment"])
    expect(box).to_have_value(text)
    expect(box).to_have_attribute("aria-invalid", "true")
    described = box.get_attribute("aria-describedby").split()
    assert error.get_attribute("id") in described
    assert count_rows(service_app, text) == 0


def _scan(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("mode", ["htmx2", "htmx4", "iframe"])
def test_every_state_passes_axe(page: Page, harness_site: HostSite, mode: str, lang: str) -> None:
    scope = open_form(page, harness_site, mode, lang)
    _scan(page)  # start
    scope.get_by_role("button", name=NAMES[lang]["yes"], exact=True).click()
    box = scope.get_by_role("textbox", name=NAMES[lang]["comment"])
    expect(box).to_be_visible()
    _scan(page)  # comment
    box.fill("y" * 120)
    scope.get_by_role("button", name=NAMES[lang]["send"]).click()
    expect(scope.locator(".cw-error-message")).to_be_visible()
    _scan(page)  # error
    scope.get_by_role("textbox", name=NAMES[lang]["comment"]).fill("Short and clear")
    scope.get_by_role("button", name=NAMES[lang]["send"]).click()
    expect(scope.locator(f"{WIDGET} [role=status]")).to_have_text(THANKS[lang])
    _scan(page)  # thanks


def frame_of(page: Page) -> Frame:
    return page.frame(url=lambda url: "/widgets/" in url)
