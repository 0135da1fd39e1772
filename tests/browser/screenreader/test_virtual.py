"""What a screen reader would say, read in every language by Guidepup's virtual screen reader.

The fast layer beside Orca: `@guidepup/virtual-screen-reader` (from npm) walks
the page's accessibility tree in Chromium item by item, as a screen reader's
"next item" key does, and logs each phrase (role, name, level, position in a
list, end of a container). It is not a real screen reader: it does not
speak, it has no browse-mode heuristics, and its phrases are its own. What it
proves is the order and wording a screen reader gets from the page, in all
ten languages, in a second or two each. Transcripts live in
`transcripts/virtual/`; regenerate with `UPDATE_TRANSCRIPTS=1`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.hosts import ROOT
from tests.browser.screenreader.transcript import Transcript, check
from widget.locales import KNOWN_LOCALES

BUNDLE = ROOT / "node_modules" / "@guidepup" / "virtual-screen-reader" / "lib" / "esm"
WIDGETS = {
    "helpline-banner.full": "/widgets/helpline-banner",
    "helpline-banner.compact": "/widgets/helpline-banner?variant=compact",
    "helpline-banner.crisis": "/widgets/helpline-banner?variant=crisis",
    "substance-summary.kratom": "/widgets/substance-summary/kratom",
    "feedback-form": "/widgets/feedback-form?page=https://clinic.example/help",
}
MOST_ITEMS = 2000

READ_EVERYTHING = """
async (most) => {
  const reader = window.__cwVirtualScreenReader;
  await reader.start({ container: document.body });
  for (let i = 0; i < most; i++) {
    await reader.next();
    const log = await reader.spokenPhraseLog();
    if (log.at(-1) === "end of document") break;
  }
  const log = await reader.spokenPhraseLog();
  await reader.stop();
  return log;
}
"""


@cache
def reader_script() -> str:
    """The browser bundle as a module script that leaves the reader on window."""
    source = (BUNDLE / "index.browser.js").read_text(encoding="utf-8")
    exported = re.search(r"export\{[\w$]+ as Virtual,([\w$]+) as virtual\};?", source)
    assert exported, "the virtual screen reader bundle no longer exports `virtual`"
    return (
        source[: exported.start()]
        + f"window.__cwVirtualScreenReader={exported.group(1)};"
        + source[exported.end() :]
    )


@pytest.fixture
def reader_page(browser: Browser) -> Iterator[Page]:
    """A page that may load the reader beside the widget's strict Content-Security-Policy.

    The reader stands in for assistive technology, which no page's policy binds.
    """
    if not (BUNDLE / "index.browser.js").exists():
        pytest.fail("node_modules/@guidepup/virtual-screen-reader is missing: run npm ci")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1024, "height": 900})
    yield context.new_page()
    context.close()


def read_aloud(page: Page, url: str) -> list[str]:
    """Every phrase the virtual screen reader says from the top of the page to its end."""
    page.goto(url)
    page.add_script_tag(content=reader_script(), type="module")
    page.wait_for_function("() => !!window.__cwVirtualScreenReader")
    log = page.evaluate(READ_EVERYTHING, MOST_ITEMS)
    assert log and log[-1] == "end of document", f"the reader never reached the end of {url}"
    return log


@pytest.mark.parametrize("locale", list(KNOWN_LOCALES))
@pytest.mark.parametrize("widget", list(WIDGETS))
def test_widget_read_item_by_item(
    reader_page: Page, service_origin: str, widget: str, locale: str
) -> None:
    path = WIDGETS[widget]
    joiner = "&" if "?" in path else "?"
    log = read_aloud(reader_page, f"{service_origin}{path}{joiner}lang={locale}")
    transcript = Transcript(f"{widget}, {locale}: every item from the top (virtual screen reader)")
    transcript.add("next item, to the end", log)
    check(transcript, f"virtual/{widget}.{locale}")
