"""Every language in Chromium: axe, right to left, reflow, 200 % text, the switcher."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.hosts import HostSite, host_page
from tests.browser.keys import tab_to
from widget.locales import KNOWN_LOCALES

TAGS = list(KNOWN_LOCALES)


def widget_paths(tag: str, extra: str = "") -> list[str]:
    return [
        f"/widgets/helpline-banner?lang={tag}{extra}",
        f"/widgets/substance-summary/kratom?lang={tag}{extra}",
        f"/widgets/feedback-form?lang={tag}{extra}",
        f"/widgets/substance-summary?lang={tag}{extra}",
    ]


def test_arabic_mirrors_inside_a_left_to_right_host_page(
    page: Page, harness_site: HostSite
) -> None:
    page.goto(host_page(harness_site, "htmx2", ["/widgets/helpline-banner?lang=ar"]))
    banner = page.locator('[data-widget="helpline-banner"]')
    expect(banner).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    tier = banner.locator(".cw-tier--crisis")
    # The coloured bar is on the inline start: the right-hand side in Arabic.
    assert tier.evaluate("el => getComputedStyle(el).borderRightWidth") != "0px"
    assert tier.evaluate("el => getComputedStyle(el).borderLeftWidth") == "0px"
    number = banner.locator(".cw-number").first
    assert number.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert number.evaluate("el => getComputedStyle(el).unicodeBidi") == "isolate"


LONGEST = "fr"  # checked below: the longest banner text of the ten


def test_the_longest_locale_is_the_one_the_reflow_test_uses(
    page: Page, service_origin: str
) -> None:
    lengths = {}
    for tag in TAGS:
        page.goto(f"{service_origin}/widgets/helpline-banner?lang={tag}")
        lengths[tag] = len(page.locator('[data-widget="helpline-banner"]').inner_text())
    assert max(lengths, key=lengths.get) == LONGEST, lengths


@pytest.mark.parametrize("tag", [LONGEST, "ar"])
@pytest.mark.parametrize("path", ["/widgets/helpline-banner", "/widgets/substance-summary/kratom",
                                  "/widgets/feedback-form"])  # fmt: skip
def test_reflow_at_320_px(page: Page, service_origin: str, tag: str, path: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{service_origin}{path}?lang={tag}&switcher=true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


CLIPPED = """() => Array.from(document.querySelectorAll('[data-widget], [data-widget] *'))
  .filter(el => !el.matches('.cw-visually-hidden, .cw-honeypot, .cw-honeypot *'))
  .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
  .map(el => el.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("tag", ["ru", "vi"])
@pytest.mark.parametrize("path", ["/widgets/helpline-banner", "/widgets/substance-summary/kratom",
                                  "/widgets/feedback-form"])  # fmt: skip
def test_200_percent_text_clips_nothing(
    restyled_page: Page, service_origin: str, tag: str, path: str
) -> None:
    page = restyled_page
    page.set_viewport_size({"width": 640, "height": 900})
    page.goto(f"{service_origin}{path}?lang={tag}")
    page.add_style_tag(content="html { font-size: 200% !important; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= 640
    assert page.evaluate(CLIPPED) == []


@pytest.mark.parametrize("mode", ["htmx2", "htmx4"])
def test_switcher_swaps_the_widget_in_place_under_htmx(
    page: Page, harness_site: HostSite, mode: str
) -> None:
    host = host_page(harness_site, mode, ["/widgets/helpline-banner?switcher=true"])
    page.goto(host)
    banner = page.locator('[data-widget="helpline-banner"]')
    expect(banner).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Español", exact=True).click()
    expect(banner).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Español", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    assert page.url == host, "the visitor stays on the partner's page"
    expect(page.locator('[data-widget="helpline-banner"]')).to_have_count(1)


@pytest.mark.parametrize("mode", ["htmx2", "htmx4"])
def test_switcher_by_keyboard_keeps_focus_on_the_chosen_language(
    page: Page, harness_site: HostSite, mode: str
) -> None:
    page.goto(host_page(harness_site, mode, ["/widgets/helpline-banner?switcher=true"]))
    link = page.get_by_role("link", name="Русский", exact=True)
    tab_to(page, link, 30)
    page.keyboard.press("Enter")
    expect(page.locator('[data-widget="helpline-banner"]')).to_have_attribute("lang", "ru")
    chosen = page.get_by_role("link", name="Русский", exact=True)
    expect(chosen).to_have_attribute("aria-current", "true")
    expect(chosen).to_be_focused()


def test_switcher_reloads_the_frame_in_an_iframe(page: Page, harness_site: HostSite) -> None:
    host = host_page(harness_site, "iframe", ["/widgets/helpline-banner?switcher=true"])
    page.goto(host)
    frame = page.frame_locator("#slot-1")
    frame.get_by_role("link", name="العربية").click()
    expect(frame.locator('[data-widget="helpline-banner"]')).to_have_attribute("dir", "rtl")
    expect(frame.locator("html")).to_have_attribute("lang", "ar")
    assert page.url == host
