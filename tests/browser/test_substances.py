"""Substance summaries in Chromium: axe in every language, footnotes by keyboard, fallback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from tests.browser.axe import assert_accessible
from tests.browser.hosts import HostSite, examples_serve, host_page
from tests.browser.keys import tab_to
from tests.substances import SLUGS, copy_content
from widget import create_app

SUMMARY = '[data-widget="substance-summary"]'


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_summary_passes_axe_embedded_with_htmx(
    page: Page, harness_site: HostSite, slug: str, lang: str
) -> None:
    page.goto(host_page(harness_site, "htmx2", [f"/widgets/substance-summary/{slug}?lang={lang}"]))
    expect(page.locator(SUMMARY)).to_be_visible()
    page.problems.assert_none()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("mode", "path"),
    [
        ("htmx4", "/widgets/substance-summary/ketamine?lang=es&collapsible=true&heading=3"),
        ("iframe", "/widgets/substance-summary/alcohol?lang=es"),
        ("iframe", "/widgets/substance-summary/opioids?collapsible=true"),
        ("htmx2", "/widgets/substance-summary?lang=es"),
        ("htmx4", "/widgets/substance-summary"),
        ("iframe", "/widgets/substance-summary?lang=es"),
        ("htmx4", "/widgets/substance-summary/bath-salts?lang=es"),
    ],
)
def test_summaries_and_index_pass_axe_in_other_modes(
    page: Page, harness_site: HostSite, mode: str, path: str
) -> None:
    section = "Drogas" if "heading=3" in path else ""
    page.goto(host_page(harness_site, mode, [path], "Substance information", section))
    scope = page.frame_locator("#slot-1") if mode == "iframe" else page
    expect(scope.locator("[data-widget]").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    if "bath-salts" not in path:
        page.problems.assert_none()
    assert_accessible(page)


def test_alias_redirect_works_cross_origin_under_htmx(page: Page, harness_site: HostSite) -> None:
    page.goto(host_page(harness_site, "htmx2", ["/widgets/substance-summary/special-k?lang=es"]))
    expect(page.locator(SUMMARY)).to_have_attribute("data-substance", "ketamine")
    page.problems.assert_none()


def test_reference_to_source_and_back_by_keyboard(page: Page, harness_site: HostSite) -> None:
    page.goto(host_page(harness_site, "htmx2", ["/widgets/substance-summary/kratom"]))
    expect(page.locator(SUMMARY)).to_be_visible()
    first_reference = page.locator("a.cw-cite__link").first
    # Tab from the top of the page until the first reference link has focus.
    tab_to(page, first_reference, 40)
    source_id = first_reference.get_attribute("href").lstrip("#")
    page.keyboard.press("Enter")
    # Following the reference moves the reading point to the source: the next
    # Tab lands on the source's own link, in the numbered list.
    page.keyboard.press("Tab")
    focused_in = page.evaluate("() => document.activeElement.closest('li')?.id")
    assert focused_in == source_id
    expect(page.locator(f"#{source_id}")).to_be_in_viewport()
    # Then the back link, and Enter returns to where the reference was.
    page.keyboard.press("Tab")
    back = page.locator(":focus")
    assert "cw-back-link" in back.get_attribute("class")
    target = back.get_attribute("href").lstrip("#")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{target}")).to_be_in_viewport()
    page.keyboard.press("Tab")
    # The reading point is back in the text, just after that reference.
    # (The first reference of a summary is in its emergency callout.)
    assert page.evaluate(
        "() => !!document.activeElement.closest('.cw-urgent__body, .cw-section__body, .cw-sources')"
    )


@pytest.fixture(scope="module")
def fallback_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, HostSite]]:
    """A service whose kratom has no Spanish text, and a host site that embeds it."""
    content = copy_content(tmp_path_factory.mktemp("content"))
    (content / "kratom" / "es.yaml").unlink()
    app = create_app({"SECRET_KEY": "t", "SUBSTANCE_CONTENT_DIR": str(content)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    pages = tmp_path_factory.mktemp("fallback-host")
    (pages / "site.css").write_text(
        (Path(__file__).parents[2] / "examples" / "site.css").read_text()
    )
    host = examples_serve.start_in_thread(pages, origin)
    yield origin, HostSite(f"http://127.0.0.1:{host.server_port}", pages)
    host.shutdown()
    host.server_close()
    server.shutdown()


@pytest.mark.parametrize("mode", ["htmx2", "iframe"])
def test_english_fallback_passes_axe_and_is_marked_english(
    page: Page, fallback_sites: tuple[str, HostSite], mode: str
) -> None:
    _, site = fallback_sites
    page.goto(host_page(site, mode, ["/widgets/substance-summary/kratom?lang=es"]))
    scope = page.frame_locator("#slot-1") if mode == "iframe" else page
    note = scope.locator(".cw-fallback-note")
    expect(note).to_have_text(
        "Este resumen todavía no está disponible en español. Aquí se muestra en inglés."
    )
    expect(scope.locator(".cw-section__body").first).to_have_attribute("lang", "en")
    assert_accessible(page)


def test_footnotes_inside_an_iframe_stay_in_the_frame(page: Page, harness_site: HostSite) -> None:
    host = host_page(harness_site, "iframe", ["/widgets/substance-summary/kratom"], "Kratom")
    page.goto(host)
    frame = page.frame_locator("#slot-1")
    reference = frame.locator("a.cw-cite__link").first
    source_id = reference.get_attribute("href").lstrip("#")
    reference.click()
    # The partner's page stays where it is; the frame scrolls to the source.
    assert page.url == host
    expect(frame.locator(f"#{source_id}")).to_be_in_viewport()
    back = frame.locator(f"#{source_id} a.cw-back-link").first
    back.click()
    assert page.url == host


# Issue 17: three new translations per script (Latin, CJK, Arabic, Cyrillic),
# in Chromium at 320 CSS pixels: axe clean, written in that language (not the
# English fallback), nothing scrolls sideways.
NEW_TRANSLATIONS = [
    ("benzodiazepines", "vi"),
    ("cocaine", "tl"),
    ("methamphetamine", "fr"),
    ("opioids", "zh-Hans"),
    ("fentanyl", "zh-Hant"),
    ("alcohol", "ko"),
    ("opioids", "ar"),
    ("fentanyl", "ar"),
    ("alcohol", "ar"),
    ("opioids", "ru"),
    ("benzodiazepines", "ru"),
    ("methamphetamine", "ru"),
]


@pytest.mark.parametrize(("slug", "lang"), NEW_TRANSLATIONS)
def test_new_translations_pass_axe_and_reflow_at_320_px(
    page: Page, harness_site: HostSite, slug: str, lang: str
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(host_page(harness_site, "htmx2", [f"/widgets/substance-summary/{slug}?lang={lang}"]))
    summary = page.locator(SUMMARY)
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("lang", lang)
    expect(summary.locator(".cw-urgent")).to_be_visible()
    page.problems.assert_none()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
