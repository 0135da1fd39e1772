"""The builder's code for a whole page, pasted into a partner's page, in Chromium.

Several widgets on one page with one head block, under htmx 2 and htmx 4;
the htmx line loads htmx only when its file matches the pinned SRI hash (the
host serves the npm file itself here: the machines have no CDN access).
Without JavaScript, the builder hides the options of widgets not chosen.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.hosts import HostSite
from tests.browser.test_partner_kit import VENDOR, write_page
from widget.embed.snippets import htmx_pins

QUERY = (
    "widget=helpline-banner&widget=feedback-form&variant=compact&language=es"
    "&page=https://clinic.example/help"
)


def _paste(page: Page, site: HostSite, service_origin: str, key: str, tamper: bool = False) -> str:
    page.goto(f"{service_origin}/embed?{QUERY}")
    code = page.locator(f"#b-{key}-code").text_content()
    pin = htmx_pins()[key]
    assert code.count(pin["integrity"]) == 1
    code = code.replace(pin["url"], VENDOR[key])
    if tamper:
        code = code.replace(pin["integrity"], "sha384-" + "A" * 64)
    lines = code.splitlines()
    split = next(i for i, line in enumerate(lines) if line.startswith("<div"))
    name = f"whole-page-{key}{'-tampered' if tamper else ''}"
    return write_page(site, name, "\n".join(lines[:split]), "\n".join(lines[split:]))


@pytest.mark.parametrize("key", ["htmx2", "htmx4"])
def test_a_page_with_a_banner_and_a_feedback_form_works(
    page: Page, harness_site: HostSite, service_origin: str, key: str
) -> None:
    page.goto(_paste(page, harness_site, service_origin, key))
    banner = page.locator('[data-widget="helpline-banner"]')
    form = page.locator('[data-widget="feedback-form"]')
    expect(banner).to_have_attribute("data-variant", "compact")
    expect(banner).to_have_attribute("lang", "es")
    expect(form).to_be_visible()
    assert page.evaluate("() => typeof htmx === 'object'"), "the SRI line loaded htmx"
    form.get_by_role("button", name="Sí", exact=True).click()
    expect(form.get_by_role("status")).to_have_text("Gracias. Su respuesta quedó guardada.")
    expect(form.get_by_role("textbox")).to_be_focused()
    page.wait_for_load_state("networkidle")
    # Checked before axe, which applies inline styles the host's CSP reports.
    page.problems.assert_none()
    assert_accessible(page)


def test_a_file_that_does_not_match_the_hash_is_refused(
    browser: Browser, harness_site: HostSite, service_origin: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    try:
        page.goto(_paste(page, harness_site, service_origin, "htmx2", tamper=True))
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => typeof htmx") == "undefined"
        assert any("integrity" in text for text in errors)
        # The fallback links still lead to each widget.
        expect(page.get_by_role("link", name="¿Le resultó útil esta página?")).to_be_visible()
    finally:
        context.close()


def test_options_of_widgets_not_chosen_are_hidden_without_javascript(
    browser: Browser, service_origin: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{service_origin}/embed?widget=feedback-form")
        expect(page.get_by_label("Address of your page")).to_be_visible()
        expect(page.get_by_label("Banner variant")).to_be_hidden()
        expect(page.get_by_label("Substance", exact=True)).to_be_hidden()
        page.get_by_label("Help line banner").check()
        expect(page.get_by_label("Banner variant")).to_be_visible()
        page.get_by_label("At phone width").check()
        page.get_by_label("In Arabic, right to left").check()
        page.get_by_role("button", name="Show the widgets and their code").click()
        frames = page.locator("iframe.cw-builder__preview")
        expect(frames).to_have_count(2)
        assert frames.first.evaluate("el => el.getBoundingClientRect().width") <= 321
        expect(frames.first).to_have_attribute("lang", "ar")
        assert "lang=ar" not in page.locator("#b-iframe-code").text_content()
    finally:
        context.close()


def test_the_builder_with_several_widgets_passes_axe(page: Page, service_origin: str) -> None:
    page.goto(f"{service_origin}/embed?{QUERY}&preview=dark&lang=ar")
    for frame in page.locator("iframe.cw-builder__preview").all():
        expect(frame).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.problems.assert_none()
