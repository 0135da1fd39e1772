"""Left-to-right runs inside Arabic text, checked by where Chromium draws the glyphs.

Attributes (`dir`, `<bdi>`, `unicode-bidi: isolate`) are only the means; what a
reader sees is the order of the glyphs on the line. In a right-to-left
paragraph a citation marker after a Latin word must sit to the left of that
word (it comes after it in reading order), and an English source title must
read left to right with its full stop at its right end, not ".FDA and Kratom".
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

# For each citation marker in the summary, the box of the last visible
# character before it, when both are on one line.
MARKERS = """(root) => {
  const pairs = [];
  for (const sup of root.querySelectorAll('sup.cw-cite')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let previous = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (sup.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING) {
        if (!sup.contains(node) && node.textContent.replace(/[\\s\\u2060\\u2066-\\u2069]/g, '')) {
          previous = node;
        }
      }
    }
    if (!previous) continue;
    const text = previous.textContent;
    let end = text.length;
    while (end > 0 && /[\\s\\u2060\\u2066-\\u2069]/.test(text[end - 1])) end -= 1;
    const range = document.createRange();
    range.setStart(previous, end - 1);
    range.setEnd(previous, end);
    const char = range.getBoundingClientRect();
    const mark = sup.getBoundingClientRect();
    if (Math.abs(char.top - mark.top) > char.height) continue;  // another line
    pairs.push({char: text[end - 1], charLeft: char.left, markRight: mark.right});
  }
  return pairs;
}"""

# For each English source title: its first and last glyph boxes on one line.
TITLES = """(root) => [...root.querySelectorAll('.cw-sources__list li > span[lang="en"]')]
  .map((span) => {
    const text = span.textContent.trim();
    const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent.trim()) nodes.push(node);
    }
    const first = nodes[0], last = nodes[nodes.length - 1];
    const start = first.textContent.search(/\\S/);
    const end = last.textContent.trimEnd().length;
    const a = document.createRange(); a.setStart(first, start); a.setEnd(first, start + 1);
    const z = document.createRange(); z.setStart(last, end - 1); z.setEnd(last, end);
    const head = a.getBoundingClientRect(), tail = z.getBoundingClientRect();
    return {text, lastChar: last.textContent.trimEnd().slice(-1),
            sameLine: Math.abs(head.top - tail.top) < head.height,
            headLeft: head.left, tailLeft: tail.left};
  })"""


def arabic_summary(page: Page, service_origin: str, slug: str) -> Locator:
    """A summary in Arabic on a wide window, its root checked right to left."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{service_origin}/widgets/substance-summary/{slug}?lang=ar")
    root = page.locator('[data-widget="substance-summary"]')
    expect(root).to_have_attribute("dir", "rtl")
    return root


@pytest.mark.parametrize("slug", ["kratom", "opioids", "ketamine"])
def test_arabic_summary_places_markers_and_english_titles_in_reading_order(
    page: Page, service_origin: str, slug: str
) -> None:
    root = arabic_summary(page, service_origin, slug)

    pairs = root.evaluate(MARKERS)
    assert len(pairs) >= 5, f"too few markers measured on one line: {pairs}"
    for pair in pairs:
        # The marker comes after the character it follows: in right-to-left
        # reading, that is to its left.
        assert pair["markRight"] <= pair["charLeft"] + 1, pair

    titles = [t for t in root.evaluate(TITLES) if t["sameLine"]]
    assert len(titles) >= 3, "too few one-line English titles measured"
    for title in titles:
        assert title["lastChar"] == ".", title
        # Left to right: the full stop is drawn to the right of the first letter.
        assert title["tailLeft"] > title["headLeft"], title


# Each marked English term and each other name in the text: its first and
# last glyph boxes, when on one line.
TERMS = """(root) => [...root.querySelectorAll(
    '.cw-lead span[lang="en"], .cw-urgent__body span[lang="en"], '
    + '.cw-section__body span[lang="en"], bdi.cw-name')]
  .filter((el) => /[A-Za-z]/.test(el.textContent) && el.textContent.length > 1)
  .map((el) => {
    const node = el.firstChild, text = el.textContent;
    const a = document.createRange(); a.setStart(node, 0); a.setEnd(node, 1);
    const z = document.createRange(); z.setStart(node, text.length - 1);
    z.setEnd(node, text.length);
    const head = a.getBoundingClientRect(), tail = z.getBoundingClientRect();
    return {text, tag: el.tagName.toLowerCase(), lang: el.getAttribute('lang'),
            bidi: getComputedStyle(el).unicodeBidi,
            sameLine: Math.abs(head.top - tail.top) < head.height,
            headLeft: head.left, tailLeft: tail.left};
  })"""


@pytest.mark.parametrize("slug", ["kratom", "fentanyl"])
def test_arabic_summary_draws_english_terms_and_other_names_left_to_right(
    page: Page, service_origin: str, slug: str
) -> None:
    # "7-OH" inside Arabic, not isolated, is drawn "OH-7"; "Tango & Cash" and
    # "biak-biak" must read as written too.
    root = arabic_summary(page, service_origin, slug)
    terms = [t for t in root.evaluate(TERMS) if t["sameLine"]]
    assert len(terms) >= 10, f"too few one-line terms measured: {terms}"
    for term in terms:
        # Each is its own isolated run: English words marked English, names never.
        assert term["bidi"] == "isolate", term
        assert term["lang"] == ("en" if term["tag"] == "span" else None), term
        # Left to right: the last letter is drawn to the right of the first.
        assert term["tailLeft"] > term["headLeft"], term
    texts = {t["text"] for t in terms}
    assert ("7-OH" in texts) if slug == "kratom" else ("Tango & Cash" in texts), texts
