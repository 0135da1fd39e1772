"""Emergency callouts and phone numbers in text, in Chromium at 320 CSS pixels.

A number split over two lines is misread and mis-dialled, and in Arabic a
number that is not isolated can come out with its groups reversed. Here each
number of a summary (body-text links and the callout's buttons) is measured
in the browser: one line box, left to right, inside the viewport; and axe
finds nothing on the page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.hosts import HostSite, host_page

SUMMARY = '[data-widget="substance-summary"]'
# Everything that shows a number: {{contact:ID}} links in the text and the
# number inside each callout button.
NUMBERS = f"{SUMMARY} a.cw-tel, {SUMMARY} .cw-urgent .cw-number"

MEASURE = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const link = el.closest('a');
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    text: el.textContent,
    href: link.getAttribute('href'),
    rects: el.getClientRects().length,
    direction: style.direction,
    bidi: style.unicodeBidi,
    right: box.right,
    left: box.left,
  };
})"""


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
@pytest.mark.parametrize("slug", ["kratom", "opioids", "cocaine", "alcohol"])
def test_numbers_never_break_across_lines_at_320_px(
    page: Page, harness_site: HostSite, slug: str, lang: str
) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(host_page(harness_site, "htmx2", [f"/widgets/substance-summary/{slug}?lang={lang}"]))
    expect(page.locator(SUMMARY)).to_be_visible()
    page.problems.assert_none()
    numbers = page.evaluate(MEASURE, NUMBERS)
    assert len(numbers) >= 4, "the callout alone shows 911, 988 twice and Poison Help"
    assert page.locator(f"{SUMMARY} a.cw-tel").count() >= 1, "numbers in the text too"
    width = page.evaluate("() => document.documentElement.clientWidth")
    for number in numbers:
        where = f"{slug}/{lang}: {number['text']!r}"
        # One line box: the number is not split between two lines.
        assert number["rects"] == 1, f"{where} is broken across {number['rects']} lines"
        # Read left to right and isolated from the Arabic around it.
        assert number["direction"] == "ltr", where
        assert number["bidi"] in ("isolate", "isolate-override", "plaintext"), where
        # On screen, not pushed past the edge of a 320 px phone.
        assert 0 <= number["left"] and number["right"] <= width, where
        # The link dials exactly the digits shown.
        shown = re.sub(r"\D", "", number["text"])
        dialled = re.sub(r"\D", "", number["href"].split("?")[0])
        assert shown == dialled, where
    # No sideways scrolling at 320 px.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_the_emergency_callout_is_first_distinct_and_announced(
    page: Page, harness_site: HostSite, lang: str
) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    path = f"/widgets/substance-summary/kratom?lang={lang}&collapsible=true"
    page.goto(host_page(harness_site, "htmx2", [path]))
    summary = page.locator(SUMMARY)
    expect(summary).to_be_visible()
    callout = summary.locator(".cw-urgent")
    # A group named by its heading, with the hidden "Urgent:" prefix.
    expect(callout).to_have_role("group")
    urgent = {"en": "Urgent:", "es": "Urgente:", "ar": "عاجل:"}[lang]
    # Then space (a no-break one in the markup, which Orca keeps), then the
    # heading's first word.
    expect(callout).to_have_accessible_name(re.compile("^" + re.escape(urgent) + r"\s+\S"))
    expect(callout.get_by_role("heading", level=3)).to_have_count(1)
    # Open while every section starts closed, and above them.
    expect(callout).to_be_visible()
    sections = summary.locator("details.cw-section")
    assert sections.count() == 6
    for index in range(6):
        expect(sections.nth(index)).not_to_have_attribute("open", "")
    assert callout.bounding_box()["y"] < sections.first.bounding_box()["y"]
    # Visually distinct: a red frame, unlike the summary's grey one.
    frame = callout.evaluate("el => getComputedStyle(el).borderTopColor")
    outer = summary.evaluate("el => getComputedStyle(el).borderTopColor")
    assert frame != outer
    # Tap-to-call buttons at least 44 px tall.
    for link in callout.locator(".cw-urgent__lines a").all():
        assert link.bounding_box()["height"] >= 44
    assert_accessible(page)
