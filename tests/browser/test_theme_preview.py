"""The theme preview by keyboard alone, and with axe, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible, axe_problems
from tests.browser.keys import tab_to

BRAND = "rgb(111, 168, 220)"  # #6fa8dc


def _brand_colours(page: Page) -> list[str]:
    return page.locator('.cw-theme-preview a[href^="tel:"]').first.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_partner_tries_colours_by_keyboard_and_sees_them_live(
    page: Page, service_origin: str, lang: str
) -> None:
    page.goto(f"{service_origin}/embed/theme?lang={lang}")
    brand = page.locator("#t-brand")
    tab_to(page, brand, most=30)
    page.keyboard.type("#6fa8dc")
    page.keyboard.press("Enter")  # a keyboard user sends the form from its field
    page.wait_for_url("**brand=%236fa8dc**")
    expect(page.locator(".cw-builder__fail").first).to_contain_text("#517aa0")
    assert BRAND in _brand_colours(page), "the preview wears the colour typed"
    # What fails is shown failing: axe finds contrast problems in the preview only.
    problems = axe_problems(page)
    assert problems and all(line.startswith("violation color-contrast") for line in problems), (
        problems
    )
    # The YAML suggests a shade that passes every pair the brand is drawn in
    # (it may be darker than the first pair's nearest passing shade).
    expect(page.locator("#t-yaml")).to_contain_text("brand: '#")
    suggested = re.search(r"brand: '(#[0-9a-f]{6})'", page.locator("#t-yaml").inner_text())
    assert suggested and suggested.group(1) != "#6fa8dc"
    # The partner takes the suggested shade: everything passes.
    brand = page.locator("#t-brand")
    tab_to(page, brand, most=30)
    page.keyboard.press("Control+A")
    page.keyboard.type(suggested.group(1))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**brand=%23{suggested.group(1)[1:]}**")
    expect(page.locator(".cw-builder__fail")).to_have_count(0)
    red, green, blue = (int(suggested.group(1)[i : i + 2], 16) for i in (1, 3, 5))
    assert f"rgb({red}, {green}, {blue})" in _brand_colours(page)
    page.problems.assert_none()
    assert_accessible(page)
