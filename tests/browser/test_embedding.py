"""A partner's page on another origin embeds the banner with htmx 2, htmx 4 or an iframe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.browser.hosts import HostSite
from widget.phone import spaced

BANNER = '[data-widget="helpline-banner"]'
# The banners in the page's own slots, not the one closing a substance summary.
SLOT_BANNER = '[data-widget="helpline-banner"]:not([data-widget="substance-summary"] *)'
EXAMPLE_PAGES = ["htmx2.html", "htmx4.html", "iframe.html"]


def widget_scopes(page: Page, mode: str) -> list[Page | Frame]:
    """Where the widgets live: the page itself for htmx, each frame for iframes."""
    if mode != "iframe.html":
        return [page]
    # three banners, the substance summary and the feedback form
    expect(page.locator("iframe")).to_have_count(5)
    frames = page.locator('iframe[src*="helpline-banner"]')
    scopes = []
    for index in range(3):
        frames.nth(index).element_handle().content_frame().wait_for_selector(BANNER)
        scopes.append(frames.nth(index).element_handle().content_frame())
    return scopes


@pytest.mark.parametrize("example", EXAMPLE_PAGES)
def test_example_page_shows_every_banner_cross_origin(
    page: Page, examples_site: HostSite, service_origin: str, example: str
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(examples_site.url(example))
    if example == "iframe.html":
        scopes = widget_scopes(page, example)
        banners = [scope.locator(BANNER) for scope in scopes]
    else:
        expect(page.locator(SLOT_BANNER)).to_have_count(3)
        banners = [page.locator(SLOT_BANNER).nth(i) for i in range(3)]
    for banner in banners:
        expect(banner).to_be_visible()
    variants = [banner.get_attribute("data-variant") for banner in banners]
    langs = [banner.get_attribute("lang") for banner in banners]
    assert variants == ["full", "crisis", "compact"]
    assert langs == ["en", "es", "en"]
    assert examples_site.origin != service_origin
    assert any(url.startswith(service_origin + "/widgets/") for url in requests)
    feedback = (
        page.frame_locator('iframe[src*="feedback-form"]') if example == "iframe.html" else page
    ).locator('[data-widget="feedback-form"]')
    expect(feedback).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.problems.assert_none()  # nothing blocked by CORS or CSP, no script errors


@pytest.mark.parametrize("example", ["htmx2.html", "htmx4.html"])
def test_htmx_fallback_link_is_replaced_by_the_widget(
    page: Page, examples_site: HostSite, example: str
) -> None:
    page.goto(examples_site.url(example))
    slot = page.locator("#help-lines")
    expect(slot.locator(BANNER)).to_be_visible()
    # The no-JavaScript fallback link was swapped out, not left beside the banner.
    expect(slot.locator("> p")).to_have_count(0)


@pytest.mark.parametrize("example", EXAMPLE_PAGES)
def test_links_in_the_banner_lead_where_they_say(
    page: Page, examples_site: HostSite, example: str
) -> None:
    # No outside network here: answer for the help site ourselves.
    page.route(
        "https://findtreatment.gov/**",
        lambda route: route.fulfill(
            body="<title>FindTreatment.gov</title>", content_type="text/html"
        ),
    )
    page.goto(examples_site.url(example))
    scope = widget_scopes(page, example)[0]
    link = scope.get_by_role("link", name="Find treatment near you at FindTreatment.gov")
    expect(link).to_be_visible()
    link.click()
    # From an iframe too, the help site opens in the visitor's window, not in the frame.
    page.wait_for_url("https://findtreatment.gov/**")
    assert page.title() == "FindTreatment.gov"


@pytest.mark.parametrize("example", EXAMPLE_PAGES)
def test_dial_links_carry_the_numbers_shown(
    page: Page, examples_site: HostSite, example: str
) -> None:
    page.goto(examples_site.url(example))
    scope = widget_scopes(page, example)[0]
    # The banner's own lines (a summary's emergency callout on the page has some too).
    banner = scope.locator('[data-widget="helpline-banner"]').first
    expect(banner.get_by_role("link", name=f"Call {spaced('1-800-662-4357')}")).to_have_attribute(
        "href", "tel:+18006624357"
    )
    expect(banner.get_by_role("link", name=f"Call {spaced('988')}")).to_have_attribute(
        "href", "tel:988"
    )
    expect(banner.get_by_role("link", name=f"Text {spaced('988')}", exact=True)).to_have_attribute(
        "href", "sms:988"
    )


def test_spanish_visitor_gets_the_banner_in_spanish(page: Page, service_origin: str) -> None:
    context = page.context
    spanish = context.browser.new_context(locale="es-MX")
    try:
        visitor = spanish.new_page()
        response = visitor.goto(f"{service_origin}/widgets/helpline-banner")
        assert response.headers["content-language"] == "es"
        expect(visitor.locator("html")).to_have_attribute("lang", "es")
        # A direct visit: the standalone page, whose h1 is the banner's heading.
        expect(visitor.get_by_role("heading", level=1)).to_have_text(
            "Ayuda gratuita y confidencial, a toda hora"
        )
    finally:
        spanish.close()
