"""The code a partner pastes: HTMX 2, HTMX 4, an auto-height iframe, and the oEmbed address."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from widget.embed.choices import FRAME_WIDTH, Choice

# htmx 2 refuses other origins unless told; its indicator style is an inline
# <style> that a strict CSP blocks, so it is switched off.
HTMX2_CONFIG = '{"selfRequestsOnly":false,"includeIndicatorStyles":false}'
# htmx 4 fetches with mode "same-origin" unless told "cors"; same reason for the CSS.
HTMX4_CONFIG = '{"mode":"cors","includeIndicatorCSS":false}'


@dataclass(frozen=True)
class Snippets:
    """Every way to embed one Choice."""

    htmx2: str
    htmx4: str
    iframe: str
    oembed_url: str


def slot_name(choice: Choice) -> str:
    """The placeholder's size class in static/embed.css: which widget, which variant."""
    if choice.widget == "helpline-banner":
        return f"helpline-banner-{choice.variant}"
    if choice.widget == "substance-summary" and not choice.substance:
        return "substance-summary-index"
    return choice.widget


def _slot(choice: Choice, attributes: str = "") -> str:
    return f'<div class="cw-slot cw-slot--{slot_name(choice)}"{attributes}>'


def _head(service: str, choice: Choice, config: str) -> list[str]:
    lines = [
        f"<meta name=\"htmx-config\" content='{config}'>",
        f'<link rel="stylesheet" href="{service}/static/widgets.css">',
        f'<link rel="stylesheet" href="{service}/static/embed.css">',
    ]
    if choice.partner:
        lines.append(
            f'<link rel="stylesheet" href="{service}/partners/{choice.partner}/theme.css">'
        )
    lines.append(f'<script src="{service}/static/widgets.js" defer></script>')
    return lines


def _htmx(service: str, choice: Choice, config: str, title: str, lang_attr: str) -> str:
    url = escape(choice.url(service))
    # Without JavaScript (or before htmx loads) the visitor still has a link;
    # the slot holds the widget's space (static/embed.css) until it arrives.
    body = [
        _slot(choice, f' hx-get="{url}" hx-trigger="load"'),
        f'<p><a href="{url}"{lang_attr}>{escape(title)}</a></p>',
        "</div>",
    ]
    return "\n".join([*_head(service, choice, config), *body])


def iframe_html(service: str, choice: Choice, title: str, width: int, height: int) -> str:
    """A titled iframe in its slot, sized by embed.css and embed.js (each loaded once per page).

    The width and height attributes are whole pixels (valid HTML, and what
    oEmbed asks for); embed.css makes the frame as wide as the column, as tall
    as its widget's first state at that width, and drops the border.
    """
    lang_attr = f' lang="{escape(choice.lang)}"' if choice.lang else ""
    return "\n".join(
        [
            f'<link rel="stylesheet" href="{service}/static/embed.css">',
            _slot(choice),
            f'<iframe src="{escape(choice.url(service))}" title="{escape(title)}"{lang_attr} '
            f'width="{width}" height="{height}" data-cw-autoheight></iframe>',
            "</div>",
            f'<script src="{service}/static/embed.js" defer></script>',
        ]
    )


def oembed_url(service: str, widget_url: str) -> str:
    return f"{service}/oembed?" + urlencode({"url": widget_url, "format": "json"})


def build(service: str, choice: Choice, title: str) -> Snippets:
    """Snippets for a Choice on the service at `service` (its root URL, no trailing slash)."""
    service = service.rstrip("/")
    lang_attr = f' lang="{escape(choice.lang)}"' if choice.lang else ""
    return Snippets(
        htmx2=_htmx(service, choice, HTMX2_CONFIG, title, lang_attr),
        htmx4=_htmx(service, choice, HTMX4_CONFIG, title, lang_attr),
        iframe=iframe_html(service, choice, title, FRAME_WIDTH, choice.frame_height()),
        oembed_url=oembed_url(service, choice.url(service)),
    )


def oembed_frame(service: str, choice: Choice, title: str, width: int, height: int) -> str:
    """The iframe of an oEmbed answer, in whole pixels as oEmbed asks."""
    return iframe_html(service.rstrip("/"), choice, title, width, height)


def default_width() -> int:
    return FRAME_WIDTH
