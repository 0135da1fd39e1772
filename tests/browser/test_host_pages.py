"""On real design systems and a hostile sheet, light and dark, the widgets look as on a blank page.

Bootstrap 5, USWDS 3, GOV.UK Frontend, NHS.UK frontend, Pico (classless) and
a deliberately hostile sheet of our own, each × light and dark × htmx and
iframe: every part of every widget (heading, text, links, action links,
buttons, the comment field and the focus ring) has the computed style it has
on a page with no stylesheet, and axe finds nothing inside the widgets.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import axe_problems
from tests.browser.design_systems import SHEETS, computed_looks, differences, host_page
from tests.browser.hosts import HostSite

# htmx 2 for light pages and htmx 4 for dark ones: both versions, half the cases.
EMBEDDINGS = {("htmx", False): "htmx2", ("htmx", True): "htmx4", ("iframe", False): "iframe"}
EMBEDDINGS[("iframe", True)] = "iframe"
# Inside an iframe document the widget keeps the host's outline: no h1, no main.
FRAME_RULES_OFF = ("page-has-heading-one", "landmark-one-main", "region")


@pytest.fixture
def scheme_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in light or dark mode, at a tablet's width."""
    context = browser.new_context(
        viewport={"width": 1024, "height": 900},
        color_scheme="dark" if request.param else "light",
    )
    yield context.new_page()
    context.close()


def _open_comment_box(page: Page, mode: str) -> None:
    """Answer "Yes", so the feedback form shows its comment field and Send button."""
    if mode == "iframe":
        form = page.frame_locator("#w4")
    else:
        form = page.locator("#w4")
    form.get_by_role("button", name="Yes").click()
    expect(form.locator("textarea")).to_be_visible()


def _load(page: Page, url: str, mode: str) -> None:
    page.goto(url)
    if mode == "iframe":
        for index in range(1, 5):
            page.frame_locator(f"#w{index}").locator("[data-widget]").first.wait_for()
    else:
        for index in range(1, 5):
            page.locator(f"#w{index} [data-widget]").first.wait_for()
    _open_comment_box(page, mode)
    page.wait_for_load_state("networkidle")


_BLANK: dict[tuple[str, bool, float], dict] = {}


def _blank_looks(page: Page, site: HostSite, mode: str, dark: bool, root_px: float) -> dict:
    """The widgets' look on a page with no stylesheet (and the host's root font size)."""
    key = (mode, dark, root_px)
    if key not in _BLANK:
        blank = page.context.new_page()
        _load(blank, host_page(site, None, mode, dark, root_px=root_px), mode)
        _BLANK[key] = computed_looks(blank, mode)
        blank.close()
    return _BLANK[key]


@pytest.mark.parametrize("scheme_page", [False, True], ids=["light", "dark"], indirect=True)
@pytest.mark.parametrize("embedding", ["htmx", "iframe"])
@pytest.mark.parametrize("sheet", list(SHEETS))
def test_widgets_keep_their_look_and_pass_axe_on_a_partner_stylesheet(
    scheme_page: Page, harness_site: HostSite, sheet: str, embedding: str
) -> None:
    page = scheme_page
    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    mode = EMBEDDINGS[(embedding, dark)]
    _load(page, host_page(harness_site, sheet, mode, dark), mode)
    looks = computed_looks(page, mode)
    root_px = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    blank = _blank_looks(page, harness_site, mode, dark, root_px if mode != "iframe" else 16)
    assert len(looks) >= 20, sorted(looks)
    problems = differences(looks, blank)
    assert not problems, f"{len(problems)} differences on {sheet}:\n" + "\n".join(problems)
    if mode == "iframe":
        found = [
            line
            for frame in page.frames[1:]
            for line in axe_problems(frame, disable=FRAME_RULES_OFF)
        ]
    else:
        found = axe_problems(page, include=".cw")
    assert not found, f"axe on {sheet}:\n" + "\n".join(found)


def test_on_a_dark_pico_page_at_390_px_the_widgets_are_dark_too(
    browser: Browser, harness_site: HostSite, tmp_path
) -> None:
    """Screenshots of the banner and the form for review (CARE_WIDGETS_SHOTS keeps them)."""
    import os
    from pathlib import Path

    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    paths = ("/widgets/helpline-banner", "/widgets/feedback-form")
    page.goto(host_page(harness_site, "pico", "htmx2", True, paths=paths))
    folder = Path(os.environ.get("CARE_WIDGETS_SHOTS") or tmp_path)
    for index, name in enumerate(("banner", "form"), start=1):
        widget = page.locator(f"#w{index} [data-widget]")
        widget.wait_for()
        colours = widget.evaluate(
            "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
        )
        # The dark palette's background #1a1d21 and text #eef0f2.
        assert colours == ["rgb(26, 29, 33)", "rgb(238, 240, 242)"], colours
        widget.screenshot(path=str(folder / f"pico-dark-390-{name}.png"))
    assert axe_problems(page, include=".cw") == []
    context.close()
