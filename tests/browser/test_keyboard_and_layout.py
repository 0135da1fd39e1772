"""Keyboard, focus, target size and reflow: what keyboard, magnifier and phone users meet."""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.browser.hosts import HostSite, host_page

BANNER = '[data-widget="helpline-banner"]'
VARIANTS = ["full", "compact", "crisis"]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    href: el.getAttribute('href'),
    inWidget: !!el.closest('[data-widget]'),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
  };
}"""


def widget_hrefs(scope: Page | Frame) -> list[str]:
    return scope.eval_on_selector_all(
        f"{BANNER} a", "links => links.map(a => a.getAttribute('href'))"
    )


def tab_through(page: Page, scope: Page | Frame, count: int) -> list[dict]:
    """Press Tab until `count` widget links had focus; return what had focus."""
    reached: list[dict] = []
    for _ in range(count + 12):
        page.keyboard.press("Tab")
        focused = scope.evaluate(FOCUSED)
        if focused["inWidget"]:
            reached.append(focused)
        if len(reached) == count:
            break
    return reached


def assert_visible_outline(focused: dict) -> None:
    assert focused["outlineStyle"] not in ("none", ""), focused
    assert focused["outlineWidth"] >= 2, focused
    assert focused["outlineColor"] not in ("transparent", "rgba(0, 0, 0, 0)"), focused


@pytest.mark.parametrize("forced_colors", ["none", "active"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_link_is_reached_by_tab_in_order_with_a_visible_outline(
    page: Page, harness_site: HostSite, variant: str, forced_colors: str
) -> None:
    page.emulate_media(forced_colors=forced_colors)
    page.goto(host_page(harness_site, "htmx2", [f"/widgets/helpline-banner?variant={variant}"]))
    expect(page.locator(BANNER)).to_be_visible()
    expected = widget_hrefs(page)
    reached = tab_through(page, page, len(expected))
    assert [item["href"] for item in reached] == expected
    for focused in reached:
        assert_visible_outline(focused)


def test_links_inside_an_iframe_are_reached_by_tab_with_a_visible_outline(
    page: Page, harness_site: HostSite
) -> None:
    page.goto(host_page(harness_site, "iframe", ["/widgets/helpline-banner?lang=es"]))
    frame = page.frame_locator("#slot-1")
    expect(frame.locator(BANNER)).to_be_visible()
    scope = page.frame(url=lambda url: "/widgets/" in url)
    expected = widget_hrefs(scope)
    reached = tab_through(page, scope, len(expected))
    assert [item["href"] for item in reached] == expected
    for focused in reached:
        assert_visible_outline(focused)


TARGET_SIZES = f"""() => Array.from(document.querySelectorAll('{BANNER} a')).map(a => {{
  const box = a.getBoundingClientRect();
  return {{href: a.getAttribute('href'), width: box.width, height: box.height}};
}})"""


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_at_320_px_nothing_scrolls_sideways_and_every_target_is_24_px(
    page: Page, service_origin: str, variant: str, lang: str
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{service_origin}/widgets/helpline-banner?variant={variant}&lang={lang}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
    for target in page.evaluate(TARGET_SIZES):
        assert target["width"] >= 24 and target["height"] >= 24, target


TEXT_SPACING = """
.cw * { line-height: 1.5 !important; letter-spacing: 0.12em !important;
        word-spacing: 0.16em !important; }
.cw p { margin-block-end: 2em !important; }
"""

CLIPPED = f"""() => Array.from(document.querySelectorAll('{BANNER}, {BANNER} *'))
  .filter(el => !el.matches('.cw-visually-hidden'))
  .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
  .map(el => el.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_200_percent_text_and_wcag_text_spacing_clip_nothing(
    restyled_page: Page, service_origin: str, variant: str
) -> None:
    page = restyled_page
    page.set_viewport_size({"width": 640, "height": 900})
    page.goto(f"{service_origin}/widgets/helpline-banner?variant={variant}&lang=es")
    page.add_style_tag(content="html { font-size: 200% !important; }" + TEXT_SPACING)
    assert page.evaluate("document.documentElement.scrollWidth") <= 640
    assert page.evaluate(CLIPPED) == []


def test_reduced_motion_leaves_no_animation_or_transition(page: Page, service_origin: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{service_origin}/widgets/helpline-banner")
    moving = page.evaluate(
        f"""() => Array.from(document.querySelectorAll('{BANNER} *')).filter(el => {{
          const s = getComputedStyle(el);
          return s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0;
        }}).length"""
    )
    assert moving == 0
