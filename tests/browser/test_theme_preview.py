"""The theme preview by keyboard alone, and with axe, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible, axe_problems
from tests.browser.keys import tab_to

BRAND = "rgb(111, 168, 220)"  # #6fa8dc
SHADE = "rgb(81, 122, 160)"  # #517aa0, the nearest passing shade


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
    expect(page.locator("#t-yaml")).to_contain_text("brand: '#517aa0'")
    # The partner takes the suggested shade: everything passes.
    brand = page.locator("#t-brand")
    tab_to(page, brand, most=30)
    page.keyboard.press("Control+A")
    page.keyboard.type("#517aa0")
    page.keyboard.press("Enter")
    page.wait_for_url("**brand=%23517aa0**")
    expect(page.locator(".cw-builder__fail")).to_have_count(0)
    assert SHADE in _brand_colours(page)
    page.problems.assert_none()
    assert_accessible(page)
