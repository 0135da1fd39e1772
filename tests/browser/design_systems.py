"""Partner pages on real design systems (and a hostile sheet), and what a widget looks like on them.

The stylesheets come from node_modules/ (installed from the npm registry) and
are served by the host site itself, as a partner's own files would be. A
widget's look is read as the computed style of its parts (heading, text,
links, action links, buttons, fields and the focus ring). The blank page
it is compared with has the host's root font size: a host that scales its
root text (Pico does, with the window's width) scales the widget's text with
it, as a visitor's text-size setting does; that is not a leak.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from playwright.sync_api import Frame, Page

from tests.browser.hosts import ROOT, HostSite

NODE_MODULES = ROOT / "node_modules"
SHEETS = {
    "bootstrap": NODE_MODULES / "bootstrap/dist/css/bootstrap.min.css",
    "uswds": NODE_MODULES / "@uswds/uswds/dist/css/uswds.min.css",
    "govuk": NODE_MODULES / "govuk-frontend/dist/govuk/govuk-frontend.min.css",
    "nhsuk": NODE_MODULES / "nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css",
    "pico": NODE_MODULES / "@picocss/pico/css/pico.classless.min.css",
    "hostile": Path(__file__).parent / "hostile" / "hostile.css",
}
# What the widgets on every host page are: each part below is found in one.
WIDGETS = (
    "/widgets/helpline-banner",
    "/widgets/helpline-banner?variant=crisis",
    "/widgets/substance-summary/kratom",
    "/widgets/feedback-form",
)
# Each part of a widget, as a selector inside the widget root.
PARTS = {
    "root": ":scope",
    "heading": ".cw-heading",
    "subheading": ".cw-subheading",
    "text": "p",
    "link": "p a, li > a:not(.cw-primary)",
    "action": ".cw-actions a.cw-primary",
    "button": ".cw-button",
    "field": ".cw-textarea",
    "label": ".cw-label",
}
PROPERTIES = (
    "color",
    "background-color",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "line-height",
    "letter-spacing",
    "word-spacing",
    "text-transform",
    "text-indent",
    "text-align",
    "text-decoration-line",
    "display",
    "box-sizing",
    "margin-top",
    "margin-bottom",
    "margin-left",
    "padding-top",
    "padding-bottom",
    "padding-left",
    "border-top-width",
    "border-top-style",
    "border-top-color",
    "border-left-width",
    "border-radius",
    "box-shadow",
    "outline-style",
    "outline-width",
    "outline-color",
    "outline-offset",
    "min-height",
    "cursor",
    "list-style-type",
)

# Runs in the widget's document: the computed style of each part of each widget.
_READ = """([parts, properties]) => {
  const read = (el) => Object.fromEntries(
    properties.map((p) => [p, getComputedStyle(el).getPropertyValue(p)]));
  const out = {};
  const roots = document.querySelectorAll("[data-widget]:not([data-widget] [data-widget])");
  roots.forEach((widget, i) => {
    const name = widget.dataset.widget + "." + (widget.dataset.variant || i);
    for (const [part, selector] of Object.entries(parts)) {
      const el = selector === ":scope" ? widget : widget.querySelector(selector);
      if (el) out[name + " " + part] = read(el);
    }
    const focusable = widget.querySelector(".cw-button, .cw-actions a");
    if (focusable) {
      focusable.focus({ focusVisible: true });
      out[name + " focus"] = read(focusable);
      focusable.blur();
    }
  });
  return out;
}"""


def install_sheets(site: HostSite) -> None:
    """Copy every stylesheet to the host site, as the partner's own files."""
    folder = site.directory / "design"
    if folder.exists():
        return
    folder.mkdir()
    for name, source in SHEETS.items():
        shutil.copyfile(source, folder / f"{name}.css")
    # The partner's own column, the same width on every page.
    (folder / "column.css").write_text(
        "#column { box-sizing: border-box; width: 640px; max-width: 100%;"
        " margin: 0; padding: 0; }\n",
        encoding="utf-8",
    )


def host_page(
    site: HostSite,
    sheet: str | None,
    mode: str,
    dark: bool,
    paths: tuple[str, ...] = WIDGETS,
    root_px: float | None = None,
) -> str:
    """A partner page on `sheet` (None: a blank page) embedding `paths`; return its URL.

    root_px sets the page's root font size (a blank page that matches a host's).
    """
    install_sheets(site)
    head = []
    if sheet:
        head.append(f'<link rel="stylesheet" href="/design/{sheet}.css">')
    if root_px:
        (site.directory / "design" / f"root-{root_px:g}.css").write_text(
            f"html {{ font-size: {root_px:g}px; }}\n", encoding="utf-8"
        )
        head.append(f'<link rel="stylesheet" href="/design/root-{root_px:g}.css">')
    if mode != "iframe":
        config = {
            "htmx2": '{"selfRequestsOnly":false,"includeIndicatorStyles":false}',
            "htmx4": '{"mode":"cors","includeIndicatorCSS":false}',
        }[mode]
        # The widgets' sheet first: the partner's own may come after it.
        head = [
            f"<meta name=\"htmx-config\" content='{config}'>",
            '<link rel="stylesheet" href="{{WIDGET_ORIGIN}}/static/widgets.css">',
            *head,
            '<script src="{{WIDGET_ORIGIN}}/static/widgets.js" defer></script>',
            f'<script src="/vendor/{mode}/htmx.min.js" defer></script>',
        ]
    else:
        head += [
            '<link rel="stylesheet" href="{{WIDGET_ORIGIN}}/static/embed.css">',
            '<script src="{{WIDGET_ORIGIN}}/static/embed.js" defer></script>',
        ]
    head.append('<link rel="stylesheet" href="/design/column.css">')
    slots = []
    for index, path in enumerate(paths, start=1):
        src = "{{WIDGET_ORIGIN}}" + path
        if mode == "iframe":
            slots.append(
                f'<iframe id="w{index}" src="{src}" title="Widget {index}" '
                'width="640" height="600" data-cw-autoheight></iframe>'
            )
        else:
            slots.append(f'<div id="w{index}" hx-get="{src}" hx-trigger="load"></div>')
    # Dark mode switches that Bootstrap and Pico read from the root element.
    theme = ' data-bs-theme="dark" data-theme="dark"' if dark else ""
    html = "\n".join(
        [
            "<!doctype html>",
            f'<html lang="en"{theme}>',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Partner page on {sheet or 'no stylesheet'}</title>",
            *head,
            "</head>",
            "<body>",
            '<main id="column">',
            "<h1>Partner page</h1>",
            "<p>The clinic's own text, in the clinic's own style.</p>",
            *slots,
            "</main>",
            "</body>",
            "</html>",
        ]
    )
    key = f"design|{sheet}|{mode}|{dark}|{root_px}|{'|'.join(paths)}"
    name = "design-" + hashlib.sha1(key.encode()).hexdigest()[:16] + ".html"
    (site.directory / name).write_text(html, encoding="utf-8")
    return site.url(name)


def widget_documents(page: Page, mode: str) -> list[Page | Frame]:
    """Where the widgets are: the page itself, or each widget's frame."""
    if mode != "iframe":
        return [page]
    return [frame for frame in page.frames if frame != page.main_frame]


def computed_looks(page: Page, mode: str) -> dict[str, dict[str, str]]:
    """Every part's computed style, keyed "widget.variant part"."""
    looks: dict[str, dict[str, str]] = {}
    for index, document in enumerate(widget_documents(page, mode)):
        found = document.evaluate(_READ, [PARTS, list(PROPERTIES)])
        prefix = f"frame{index} " if mode == "iframe" else ""
        looks.update({prefix + key: value for key, value in found.items()})
    return looks


def differences(
    looks: dict[str, dict[str, str]], blank: dict[str, dict[str, str]], *, host_font: bool = False
) -> list[str]:
    """Each property of each part that differs from the blank page's, as a readable line."""
    lines = [f"{part}: missing" for part in blank if part not in looks]
    for part, expected in blank.items():
        for name, value in expected.items():
            if host_font and name == "font-family":
                continue
            got = looks.get(part, {}).get(name)
            if got is not None and got != value:
                lines.append(f"{part} {name}: {got!r} (blank page: {value!r})")
    return lines
