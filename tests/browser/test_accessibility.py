"""axe-core finds nothing in any banner variant, language or embedding mode."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.hosts import MODES, HostSite, host_page

BANNER = '[data-widget="helpline-banner"]'
VARIANTS = ["full", "compact", "crisis"]
LANGS = ["en", "es"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("mode", MODES)
def test_banner_passes_axe(
    page: Page, harness_site: HostSite, mode: str, variant: str, lang: str
) -> None:
    path = f"/widgets/helpline-banner?variant={variant}&lang={lang}"
    page.goto(host_page(harness_site, mode, [path]))
    if mode == "iframe":
        frame = page.frame_locator("#slot-1")
        expect(frame.locator(BANNER)).to_be_visible()
    else:
        expect(page.locator(BANNER)).to_be_visible()
    page.wait_for_load_state("networkidle")
    # Checked before axe runs: axe itself applies inline styles, which the
    # host page's strict CSP reports.
    page.problems.assert_none()
    # axe runs in the host page and inside its frames, as one page.
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGS)
def test_error_swapped_in_by_htmx4_passes_axe(
    page: Page, harness_site: HostSite, lang: str
) -> None:
    # htmx 4 swaps 4xx answers into the page: the error must be meaningful there.
    page.goto(host_page(harness_site, "htmx4", [f"/widgets/helpline-banner?variant=x&lang={lang}"]))
    error = page.locator('[data-widget="error"]')
    expect(error).to_be_visible()
    expect(error).to_have_attribute("lang", lang)
    assert_accessible(page)


@pytest.mark.parametrize("mode", ["htmx2", "htmx4"])
def test_every_variant_on_one_page_passes_axe(
    page: Page, harness_site: HostSite, mode: str
) -> None:
    paths = [f"/widgets/helpline-banner?variant={variant}" for variant in VARIANTS]
    page.goto(host_page(harness_site, mode, paths))
    expect(page.locator(BANNER)).to_have_count(3)
    assert_accessible(page)


@pytest.mark.parametrize("mode", ["htmx2", "htmx4"])
def test_two_copies_of_a_banner_on_one_page_share_no_id(
    page: Page, harness_site: HostSite, mode: str
) -> None:
    paths = ["/widgets/helpline-banner", "/widgets/helpline-banner?variant=crisis"] * 2
    page.goto(host_page(harness_site, mode, paths))
    expect(page.locator(BANNER)).to_have_count(4)
    ids = page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)")
    assert len(ids) == len(set(ids))
    for banner in page.locator(f"{BANNER}[aria-labelledby]").all():
        labelled_by = banner.get_attribute("aria-labelledby")
        assert banner.locator(f"#{labelled_by}").count() == 1, "each names itself"
