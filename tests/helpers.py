"""Plain helpers the tests share: request headers, HTML parsing, a page's problems.

Fixtures live in conftest.py files; what a test imports lives here, so no
test module imports a conftest (pytest loads those itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup

HTMX = {"HX-Request": "true"}
# What a browser sends for an iframe's document (a direct visit sends "document").
FRAME = {"Sec-Fetch-Dest": "iframe"}
DIRECT = {"Sec-Fetch-Dest": "document"}


def parse(html: str) -> BeautifulSoup:
    """Parse an HTML answer the way a browser would see its elements."""
    return BeautifulSoup(html, "html.parser")


def fragment_root(html: str):
    """The single root element of a widget fragment."""
    soup = parse(html)
    roots = [node for node in soup.contents if getattr(node, "name", None)]
    assert len(roots) == 1, f"a fragment has exactly one root element, got {len(roots)}"
    return roots[0]


@dataclass
class PageProblems:
    """What went wrong on a page that a visitor or partner would notice."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        assert not self.console_errors, "console errors:\n" + "\n".join(self.console_errors)
        assert not self.failed_requests, "failed requests:\n" + "\n".join(self.failed_requests)
