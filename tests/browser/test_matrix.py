"""The accessibility matrix: every widget × example × locale × embedding mode, in Chromium.

Each case opens one page (the example's own document, or a host page on
another origin embedding two copies of it with htmx or iframes), brings the
widgets to the example's step, and runs the audit's checks on it (the same
code as `flask --app widget audit`): axe, the keyboard path with a visible
outline (also in forced colours), no trap, 24 px targets and reflow at 320 px,
200% text, WCAG text spacing, reduced motion, the language of every text, no
duplicate id and distinct landmark names between the copies. Then the first
copy's ARIA snapshot must equal the reviewed golden file of its example and
locale, in every mode.

htmx 2 and htmx 4 swap the same way into the page; the matrix alternates them
by locale (each is used for five languages). `flask --app widget audit` runs
both for every locale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.aria_golden import GOLDEN_DIR, UPDATE, as_embedded, check, golden_name
from widget.audit.findings import Finding
from widget.audit.matrix import HostSite, Target, targets
from widget.audit.runner import _greeted, audit_page
from widget.locales import KNOWN_LOCALES

LOCALES = list(KNOWN_LOCALES)


def _htmx_for(locale: str) -> str:
    return "htmx2" if LOCALES.index(locale) % 2 == 0 else "htmx4"


CASES = [
    target
    for target in targets(modes=["bare", "htmx2", "htmx4", "iframe"])
    if target.mode in ("bare", "iframe") or target.mode == _htmx_for(target.locale)
]


@pytest.fixture(scope="module")
def matrix_site(service_origin: str) -> Iterator[HostSite]:
    site = HostSite(service_origin)
    yield site
    site.close()


def _explain(findings: list[Finding]) -> str:
    return "\n".join(
        f"- {f.check} [{', '.join(f.criteria)}] {f.condition} {f.detail}: {f.title}\n"
        f"    at {f.selector}\n    {f.html[:160]}"
        for f in findings
    )


def _embedded_top_level(target: Target) -> int:
    """The level the example's top heading has when embedded (`heading`, default 2)."""
    query = parse_qs(urlsplit(target.url_path).query)
    return int(query.get("heading", ["2"])[0])


def _first_copy_snapshot(page: Page, target: Target) -> str:
    if target.mode == "iframe":
        return page.frame_locator("iframe").first.locator("[data-widget]").first.aria_snapshot()
    return page.locator("[data-widget]").first.aria_snapshot()


@pytest.mark.parametrize("target", CASES, ids=[case.id for case in CASES])
def test_every_example_in_every_locale_and_mode_passes_the_audit(
    page: Page, matrix_site: HostSite, target: Target
) -> None:
    page.goto(matrix_site.url_for(target))
    # Nothing went wrong loading the page (checked before the audit: axe applies
    # inline styles, which the host page's Content-Security-Policy reports).
    result, frames = audit_page(page, target, ready=page.problems.assert_none)
    assert result.checks == [
        "axe",
        "dark-scheme",
        "structure",
        "keyboard",
        "reduced-motion",
        "resize-text",
        "text-spacing",
        "reflow",
    ], "every check ran"
    assert sum(len(wf.widgets) for wf in frames) == target.copies
    assert not result.findings, f"{len(result.findings)} finding(s):\n" + _explain(result.findings)
    # The iframe writes the golden files when regenerating; every mode compares
    # (the standalone page with its headings moved back to the embedded level).
    snapshot = _first_copy_snapshot(page, target)
    if target.bare:
        snapshot = as_embedded(snapshot, _embedded_top_level(target))
    check(
        snapshot,
        golden_name(target.example.id, target.locale),
        write=UPDATE and target.mode == "iframe",
    )


def test_the_audit_waits_until_embed_js_has_greeted_every_frame(
    page: Page, matrix_site: HostSite
) -> None:
    # embed.js held back (a slow network): both frames are there, and the
    # second is still a landmark of the same name as the first.
    target = next(case for case in CASES if case.id == "helpline-banner.full.es.iframe")
    held = []
    page.route("**/static/embed.js", lambda route: held.append(route))
    page.goto(matrix_site.url_for(target), wait_until="commit")
    frames = page.locator("iframe")
    expect(frames).to_have_count(2)
    sections = [page.frame_locator("iframe").nth(n).locator("section[data-widget]") for n in (0, 1)]
    for section in sections:
        expect(section).to_have_attribute("aria-labelledby", re.compile("-title$"))
    assert not _greeted(page), "the audit must not start its checks yet"
    held[0].continue_()
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe')].every(f => f.style.height !== '')"
    )
    assert _greeted(page)
    expect(sections[1]).to_have_attribute("role", "group")
    expect(sections[0]).not_to_have_attribute("role", re.compile("."))


def test_every_golden_file_belongs_to_an_example_and_locale() -> None:
    expected = {golden_name(case.example.id, case.locale) for case in CASES}
    present = {path.name for path in GOLDEN_DIR.glob("*.yaml")}
    assert present == expected, (
        f"stale: {sorted(present - expected)}; missing: {sorted(expected - present)}"
    )
