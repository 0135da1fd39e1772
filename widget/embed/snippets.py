"""The code a partner pastes for a whole page: HTMX 2, HTMX 4, auto-height iframes, oEmbed.

Several widgets share one head block (htmx's configuration, the stylesheet,
the partner's theme, htmx itself, widgets.js) and each gets its own
placeholder; iframes share one embed.js.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from widget.embed.choices import FRAME_WIDTH, Choice

# htmx 2 refuses other origins unless told; its indicator style is an inline
# <style> that a strict CSP blocks, so it is switched off.
HTMX2_CONFIG = '{"selfRequestsOnly":false,"includeIndicatorStyles":false}'
# htmx 4 fetches with mode "same-origin" unless told "cors"; same reason for the CSS.
HTMX4_CONFIG = '{"mode":"cors","includeIndicatorCSS":false}'
# Written by scripts/pin-htmx from the npm packages (tests/test_embed_htmx.py checks it).
PINS_FILE = Path(__file__).with_name("htmx.json")


@dataclass(frozen=True)
class Snippets:
    """Every way to embed the chosen widgets on one page."""

    htmx2: str
    htmx4: str
    iframe: str
    oembed_url: str


def slot_name(choice: Choice) -> str:
    """The placeholder's size class in static/embed.css: which widget, which variant."""
    return choice.slot()


def _slot(choice: Choice, attributes: str = "") -> str:
    return f'<div class="cw-slot cw-slot--{slot_name(choice)}"{attributes}>'


@cache
def htmx_pins() -> dict[str, dict[str, str]]:
    """htmx 2 and 4 as the snippets load them: version, address, SRI hash."""
    return json.loads(PINS_FILE.read_text(encoding="utf-8"))


def htmx_script(key: str) -> str:
    """The <script> line of a pinned htmx, which the browser checks against its hash."""
    pin = htmx_pins()[key]
    return (
        f'<script src="{pin["url"]}" integrity="{pin["integrity"]}" '
        'crossorigin="anonymous" defer></script>'
    )


def _lang_attr(choice: Choice) -> str:
    return f' lang="{escape(choice.lang)}"' if choice.lang else ""


def _head(service: str, choices: list[Choice], key: str, config: str) -> list[str]:
    lines = [
        f"<meta name=\"htmx-config\" content='{config}'>",
        f'<link rel="stylesheet" href="{service}/static/widgets.css">',
        f'<link rel="stylesheet" href="{service}/static/embed.css">',
    ]
    for partner in dict.fromkeys(c.partner for c in choices if c.partner):
        lines.append(f'<link rel="stylesheet" href="{service}/partners/{partner}/theme.css">')
    lines.append(htmx_script(key))
    lines.append(f'<script src="{service}/static/widgets.js" defer></script>')
    return lines


def placeholder(service: str, choice: Choice, title: str) -> str:
    """Where one widget goes: htmx fills it; without JavaScript the visitor has a link.

    The slot holds the widget's space (static/embed.css) until it arrives, so
    the partner's page does not move.
    """
    url = escape(choice.url(service))
    return "\n".join(
        [
            _slot(choice, f' data-hx-get="{url}" data-hx-trigger="load"'),
            f'<p><a href="{url}"{_lang_attr(choice)}>{escape(title)}</a></p>',
            "</div>",
        ]
    )


def _htmx(service: str, picked: list[tuple[Choice, str]], key: str, config: str) -> str:
    head = _head(service, [choice for choice, _ in picked], key, config)
    return "\n".join([*head, *(placeholder(service, c, t) for c, t in picked)])


def frame_tag(service: str, choice: Choice, title: str, width: int, height: int) -> str:
    """A titled iframe in its slot, which embed.js sizes to its content.

    The width and height attributes are whole pixels (valid HTML, and what
    oEmbed asks for); embed.css makes the frame as wide as the column, as tall
    as its widget's first state at that width, and drops the border.
    """
    return "\n".join(
        [
            _slot(choice),
            f'<iframe src="{escape(choice.url(service))}" title="{escape(title)}"'
            f'{_lang_attr(choice)} width="{width}" height="{height}" data-cw-autoheight></iframe>',
            "</div>",
        ]
    )


def _frames(service: str, frames: list[str]) -> str:
    return "\n".join(
        [
            f'<link rel="stylesheet" href="{service}/static/embed.css">',
            *frames,
            f'<script src="{service}/static/embed.js" defer></script>',
        ]
    )


def iframe_html(service: str, choice: Choice, title: str, width: int, height: int) -> str:
    """One titled iframe with the stylesheet and script it needs (each loaded once per page)."""
    return _frames(service, [frame_tag(service, choice, title, width, height)])


def oembed_url(service: str, widget_url: str) -> str:
    return f"{service}/oembed?" + urlencode({"url": widget_url, "format": "json"})


def build(service: str, picked: list[tuple[Choice, str]]) -> Snippets:
    """Snippets for the chosen widgets, each with its title, on the service at `service`."""
    service = service.rstrip("/")
    frames = [frame_tag(service, c, t, FRAME_WIDTH, c.frame_height()) for c, t in picked]
    return Snippets(
        htmx2=_htmx(service, picked, "htmx2", HTMX2_CONFIG),
        htmx4=_htmx(service, picked, "htmx4", HTMX4_CONFIG),
        iframe=_frames(service, frames),
        oembed_url="\n".join(oembed_url(service, c.url(service)) for c, _ in picked),
    )


def oembed_frame(service: str, choice: Choice, title: str, width: int, height: int) -> str:
    """The iframe of an oEmbed answer, in whole pixels as oEmbed asks."""
    return iframe_html(service.rstrip("/"), choice, title, width, height)


def default_width() -> int:
    return FRAME_WIDTH
