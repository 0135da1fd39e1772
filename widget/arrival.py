"""How a request for a widget arrived: htmx, an iframe, or a visitor's own tab.

One address answers three ways (docs/embedding.md, "One address, three answers"):

- `fragment`: htmx asked (`HX-Request: true`) for the widget alone;
- `frame`: a browser loads the address inside an iframe (`Sec-Fetch-Dest:
  iframe`): a document with no `<main>` and the widget at the host page's
  heading level, so the host keeps its own outline;
- `page`: a direct visit (`Sec-Fetch-Dest: document`, or no such header from
  an older browser or a script): a standalone page with `<main>`, an `<h1>`
  and a language switcher.

Answers vary on both headers (`Vary`), and the fragment cache keys on the kind.
"""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import MultiDict

from widget.params import heading_level

FRAGMENT, FRAME, PAGE = "fragment", "frame", "page"
# Destinations that put our document inside someone else's page.
_EMBEDDED = frozenset({"iframe", "frame", "embed", "object", "fencedframe"})


def arrival() -> str:
    """`fragment`, `frame` or `page` for the current request."""
    environ = request.environ
    if environ.get("HTTP_HX_REQUEST", "").lower() == "true":
        return FRAGMENT
    if environ.get("HTTP_SEC_FETCH_DEST", "").lower() in _EMBEDDED:
        return FRAME
    return PAGE


def is_standalone() -> bool:
    """True on a direct visit: the widget is the whole page."""
    return arrival() == PAGE


def top_heading_level(args: MultiDict[str, str]) -> int:
    """The level of a widget's top heading: `heading` (checked), or 1 when it is the whole page."""
    level = heading_level(args)
    return 1 if is_standalone() else level
