"""Host pages made from the partner snippets, and Chromium's cumulative layout shift on them.

The pages hold exactly what a partner pastes (the builder's snippets, which
docs/embedding.md shows too) between paragraphs of the partner's own text, so any
shift of the page around the widget is counted. CLS is the sum of every
`layout-shift` entry a PerformanceObserver sees that did not follow the
visitor's own input (Chromium's `hadRecentInput`), from the first paint until
the widget has settled.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import Flask
from playwright.sync_api import Browser

from tests.browser.hosts import HostSite
from widget.embed.choices import Choice
from widget.embed.snippets import build

# Every widget and variant a partner can pick (a summary and its collapsible
# form, the index of summaries, the banner's three variants, the form).
CASES = {
    "banner-full": Choice("helpline-banner"),
    "banner-compact": Choice("helpline-banner", variant="compact"),
    "banner-crisis": Choice("helpline-banner", variant="crisis"),
    "summary-index": Choice("substance-summary"),
    "summary-kratom": Choice("substance-summary", substance="kratom"),
    "feedback-form": Choice("feedback-form"),
    # The longest compact line (Spanish). The snippets in docs/embedding.md are
    # the builder's (tests/test_embedding_snippets.py).
    "banner-compact-es": Choice("helpline-banner", variant="compact", lang="es"),
}
WIDTHS = {390: 844, 1280: 900}
MODES = ("htmx2", "htmx4", "iframe")
VENDOR = {"htmx2": "/vendor/htmx2/htmx.min.js", "htmx4": "/vendor/htmx4/htmx.min.js"}

# Registered before any script of the page runs; buffered, so shifts before
# the observer existed count too.
OBSERVER = """
window.__cls = 0;
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    window.__shifts.push(Math.round(entry.value * 1000) / 1000);
  }
}).observe({ type: "layout-shift", buffered: true });
"""

PARTNER_TEXT = (
    "<p>Our clinic offers walk-in appointments every weekday. Ask at the front desk "
    "about care for alcohol and drug use, for you or for a family member.</p>"
)


def _split(snippet: str) -> tuple[list[str], list[str]]:
    """The snippet's head lines (meta, stylesheet, scripts) and the rest, as a partner splits it."""
    head, body = [], []
    lines = snippet.splitlines()
    # The iframe snippet's script may go anywhere; keep it where the snippet puts it.
    for line in lines:
        in_head = line.startswith(("<meta", "<link")) or (
            line.startswith("<script") and "embed.js" not in line
        )
        (head if in_head else body).append(line)
    return head, body


def snippet_page(
    app: Flask, site: HostSite, service: str, choice: Choice, mode: str, extra_head: str = ""
) -> str:
    """Write a partner page made from the builder's snippet for `choice`; return its URL."""
    with app.app_context():
        snippets = build(service, [(choice, choice.title(choice.lang or "en"))])
    head, body = _split(getattr(snippets, mode))
    if mode in VENDOR:
        head.append(f'<script src="{VENDOR[mode]}" defer></script>')
    html = "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Clinic page ({mode})</title>",
            '<link rel="stylesheet" href="/site.css">',
            extra_head,
            *head,
            "</head>",
            "<body>",
            '<header class="site-header"><p class="site-name">Test clinic</p></header>',
            "<main>",
            "<h1>Getting help</h1>",
            PARTNER_TEXT,
            *body,
            PARTNER_TEXT * 6,
            "</main>",
            "</body>",
            "</html>",
        ]
    )
    key = f"cls|{mode}|{choice}|{extra_head}"
    name = "cls-" + hashlib.sha1(key.encode()).hexdigest()[:16] + ".html"
    (site.directory / name).write_text(html.replace(service, "{{WIDGET_ORIGIN}}"), encoding="utf-8")
    return site.url(name)


@dataclass
class Shift:
    """The CLS a visitor's page saw, and the single shifts that made it up."""

    cls: float
    shifts: list[float]


def measure(browser: Browser, url: str, width: int, mode: str) -> Shift:
    """Load `url` at `width` CSS px, wait until the widget has settled, and read the CLS."""
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
    try:
        page = context.new_page()
        page.add_init_script(OBSERVER)
        page.goto(url)
        if mode == "iframe":
            frame = page.frame_locator("iframe")
            frame.locator("[data-widget]").first.wait_for()
            # embed.js sets the frame's height once the frame says hello.
            page.wait_for_function(
                "() => document.querySelector('iframe[data-cw-autoheight]').style.height !== ''"
            )
        else:
            page.locator("[data-widget]").first.wait_for()
        # Two frames' time for the last layout to be painted and reported.
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        page.wait_for_timeout(200)
        return Shift(page.evaluate("window.__cls"), page.evaluate("window.__shifts"))
    finally:
        context.close()
