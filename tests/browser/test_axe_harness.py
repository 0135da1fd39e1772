"""The axe harness itself: it must see defects inside cross-origin iframes."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.browser.axe import axe_problems
from tests.browser.hosts import HostSite, examples_serve

# .htm, not .html: the host server sends its strict CSP with .html pages only.
BROKEN = '<!doctype html><html lang="en"><title>x</title><body><button></button></body></html>'


def test_axe_reports_a_defect_inside_a_cross_origin_iframe(
    page: Page, harness_site: HostSite, tmp_path: Path, service_origin: str
) -> None:
    (tmp_path / "broken.htm").write_text(BROKEN)
    other = examples_serve.start_in_thread(tmp_path, service_origin)
    try:
        frame_url = f"http://127.0.0.1:{other.server_port}/broken.htm"
        host = (
            '<!doctype html><html lang="en"><head><title>Host</title></head><body><main>'
            f'<h1>Host</h1><iframe title="Broken" src="{frame_url}"></iframe></main></body></html>'
        )
        (harness_site.directory / "axe-probe.htm").write_text(host)
        page.goto(harness_site.url("axe-probe.htm"))
        problems = axe_problems(page)
    finally:
        other.shutdown()
        other.server_close()
    assert any("button-name" in problem and "'iframe'" in problem for problem in problems)
    # Page-level rules count the host and its frame together.
    assert not any("landmark-one-main" in problem for problem in problems)
    assert not any("page-has-heading-one" in problem for problem in problems)
