"""A phone at 320 px with 200% text, and paper: every word whole, every number on one line.

At 320 CSS px with the text at 200%, no word or link label breaks inside
itself ("988lifeline.or/g"), no line starts with a lone punctuation mark, no
phone number splits across lines, and nothing scrolls sideways. In print, no
button or form shows, phone numbers print in full and web links print their
address.
"""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from tests.browser.hosts import HostSite, host_page
from tests.browser.layout_shift import snippet_page
from widget.embed.choices import Choice

# Walks every character of the widgets in reading order and reports where a
# new line starts inside a word, or starts with a closing punctuation mark.
LINE_BREAKS = r"""() => {
  const word = /[\p{L}\p{N}]/u, closing = /[.,;:!?)\]»”’、。，．！？：；]/u;
  const problems = [];
  // The nearest box that is not inline: a new one starts a new line anyway.
  const block = (el) => {
    while (el && getComputedStyle(el).display.startsWith("inline")) el = el.parentElement;
    return el;
  };
  for (const widget of document.querySelectorAll("[data-widget]")) {
    const walker = document.createTreeWalker(widget, NodeFilter.SHOW_TEXT);
    let previous = null;
    for (let node; (node = walker.nextNode()); ) {
      const parent = node.parentElement;
      if (!parent || parent.closest(".cw-visually-hidden, [hidden], [aria-hidden=true]")) continue;
      const box = block(parent);
      if (previous && previous.box !== box) previous.space = true;
      for (let i = 0; i < node.data.length; i++) {
        const ch = node.data[i];
        if (/\s/.test(ch)) { previous = previous && { ...previous, space: true }; continue; }
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (previous && rect.top > previous.top + rect.height / 2) {
          const text = (previous.text + "|" + node.data.slice(i, i + 12)).slice(-28);
          if (!previous.space && word.test(previous.ch) && word.test(ch)
              && !parent.closest(".cw-sources__list")) problems.push("mid-word: " + text);
          if (closing.test(ch)) problems.push("line starts with punctuation: " + text);
        }
        previous = { ch, box, top: rect.top, space: false,
                     text: node.data.slice(Math.max(0, i - 15), i + 1) };
      }
    }
  }
  return problems;
}"""

PAGES = {
    "banner-full-es": Choice("helpline-banner", lang="es"),
    "banner-compact-es": Choice("helpline-banner", variant="compact", lang="es"),
    "banner-crisis-en": Choice("helpline-banner", variant="crisis", lang="en"),
    "banner-full-vi": Choice("helpline-banner", lang="vi"),
    "summary-kratom-en": Choice("substance-summary", substance="kratom", lang="en"),
    "feedback-fr": Choice("feedback-form", lang="fr"),
}


def _lines_of(
    browser: Browser,
    service_app: Flask,
    site: HostSite,
    service_origin: str,
    choice: Choice,
    mode: str,
    width: int,
    text_percent: int,
) -> tuple[list[str], list[str], bool]:
    """Line-break problems, split numbers and sideways scrolling of one embed."""
    # The visitor's text size is a user style, beyond the page's CSP.
    context = browser.new_context(viewport={"width": width, "height": 640}, bypass_csp=True)
    try:
        phone = context.new_page()
        phone.goto(snippet_page(service_app, site, service_origin, choice, mode))
        if mode == "iframe":
            phone.frame_locator("iframe").locator("[data-widget]").first.wait_for()
            document = phone.frames[1]
        else:
            phone.locator("[data-widget]").first.wait_for()
            document = phone.main_frame
        document.add_style_tag(content=f"html {{ font-size: {text_percent}% !important; }}")
        phone.wait_for_timeout(50)
        split = document.evaluate(
            "() => [...document.querySelectorAll('.cw-number, .cw-mnemonic')]"
            ".filter(n => n.getClientRects().length > 1).map(n => n.textContent)"
        )
        wide = document.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        return document.evaluate(LINE_BREAKS), split, wide
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["htmx2", "iframe"])
@pytest.mark.parametrize("name", list(PAGES))
def test_at_320_px_and_200_percent_text_words_and_numbers_stay_whole(
    browser: Browser,
    service_app: Flask,
    harness_site: HostSite,
    service_origin: str,
    name: str,
    mode: str,
) -> None:
    problems, split, wide = _lines_of(
        browser, service_app, harness_site, service_origin, PAGES[name], mode, 320, 200
    )
    assert not problems, "\n".join(problems)
    assert not split, f"phone numbers split across lines: {split}"
    assert not wide, "the page scrolls sideways"


@pytest.mark.parametrize("name", ["banner-compact-es", "banner-full-es"])
def test_around_390_px_no_line_starts_with_punctuation(
    page: Page, service_origin: str, service_app: Flask, name: str
) -> None:
    """The widget's own page at every width from 340 to 440 px (the full stop after
    an inline link once started a line in the Spanish compact banner at 390 px)."""
    with service_app.app_context():
        page.goto(PAGES[name].url(service_origin))
    page.locator("[data-widget]").first.wait_for()
    found = []
    for width in range(340, 441, 2):
        page.set_viewport_size({"width": width, "height": 640})
        found += [f"{width} px: {problem}" for problem in page.evaluate(LINE_BREAKS)]
    assert not found, "\n".join(found)


def test_print_shows_numbers_and_addresses_but_no_buttons_or_forms(
    page: Page, harness_site: HostSite
) -> None:
    page.goto(
        host_page(
            harness_site,
            "htmx2",
            ["/widgets/helpline-banner?lang=en", "/widgets/feedback-form?lang=en"],
        )
    )
    page.locator('[data-widget="feedback-form"]').wait_for()
    page.emulate_media(media="print")
    banner = page.locator('[data-widget="helpline-banner"]')
    assert page.locator('[data-widget="feedback-form"]').is_hidden()
    assert page.locator("[data-widget] button, [data-widget] form").evaluate_all(
        "els => els.every(el => !el.checkVisibility())"
    )
    calls = banner.locator('a[href^="tel:"]')
    assert calls.count() >= 3
    for index in range(calls.count()):
        call = calls.nth(index)
        assert call.is_visible()
        digits = call.get_attribute("href").removeprefix("tel:").lstrip("+")
        shown = "".join(c for c in call.inner_text() if c.isdigit())
        assert digits.endswith(shown[-7:]) and len(shown) >= 3, (shown, digits)
        # Printed as text, not a button: no border, no fill.
        assert call.evaluate("a => getComputedStyle(a).borderTopStyle") == "none"
    web = banner.locator('a[href^="https:"]').first
    after = web.evaluate("a => getComputedStyle(a, '::after').content")
    assert web.get_attribute("href") in after
