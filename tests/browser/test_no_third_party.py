"""No widget makes a request to anyone but the service and the page it sits on (no tracking)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.hosts import MODES, HostSite, host_page

PATHS = [
    "/widgets/helpline-banner",
    "/widgets/helpline-banner?variant=crisis&switcher=true",
    "/widgets/substance-summary",
    "/widgets/substance-summary/kratom?collapsible=true&partner=clinica-del-valle",
    "/widgets/feedback-form?page=https://clinic.example/help",
]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize("mode", MODES)
def test_widgets_request_nothing_from_third_parties(
    page: Page, harness_site: HostSite, service_origin: str, mode: str
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(host_page(harness_site, mode, PATHS, title="Widgets"))
    scope = page.frame_locator("#slot-5") if mode == "iframe" else page
    expect(scope.locator('[data-widget="feedback-form"]')).to_be_visible()
    # Interact too: answering posts to the service, and only to it.
    scope.get_by_role("button", name="Yes").click()
    expect(scope.get_by_role("textbox")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert any(url.startswith(service_origin + "/widgets/feedback-form") for url in requested)
    strangers = {
        url for url in requested if origin(url) not in (service_origin, harness_site.origin)
    }
    assert not strangers, strangers
    page.problems.assert_none()
