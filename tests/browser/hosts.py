"""Write partner host pages that embed given widget URLs in each embedding mode."""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_examples_server():
    # examples/ is a folder of partner pages, not a package: load its server by path.
    spec = importlib.util.spec_from_file_location("examples_serve", ROOT / "examples" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


examples_serve = _load_examples_server()


@dataclass
class HostSite:
    """A partner's web server on its own origin, serving files from a folder."""

    origin: str
    directory: Path

    def url(self, path: str) -> str:
        return f"{self.origin}/{path.lstrip('/')}"


MODES = ("htmx2", "htmx4", "iframe")

_HTMX_CONFIG = {
    "htmx2": '{"selfRequestsOnly":false,"includeIndicatorStyles":false}',
    "htmx4": '{"mode":"cors","includeIndicatorCSS":false}',
}


def _slot(mode: str, index: int, path: str, title: str) -> str:
    src = escape("{{WIDGET_ORIGIN}}" + path)
    if mode == "iframe":
        return (
            f'<iframe id="slot-{index}" class="widget-frame" src="{src}" '
            f'title="{escape(title)}"></iframe>'
        )
    return f'<div id="slot-{index}" hx-get="{src}" hx-trigger="load"></div>'


def host_page(
    site: HostSite,
    mode: str,
    paths: list[str],
    title: str = "Help lines",
    section_heading: str = "",
) -> str:
    """Write a host page embedding each widget path; return its URL.

    section_heading puts an <h2> before the widgets, for widgets asked to
    start at heading level 3.
    """
    assert mode in MODES
    head = ""
    if mode != "iframe":
        head = (
            f"<meta name=\"htmx-config\" content='{_HTMX_CONFIG[mode]}'>\n"
            '<link rel="stylesheet" href="{{WIDGET_ORIGIN}}/static/widgets.css">\n'
            '<script src="{{WIDGET_ORIGIN}}/static/widgets.js" defer></script>\n'
            f'<script src="/vendor/{mode}/htmx.min.js" defer></script>\n'
        )
    slots = "\n".join(_slot(mode, i, path, title) for i, path in enumerate(paths, start=1))
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page ({mode})</title>
<link rel="stylesheet" href="/site.css">
{head}</head>
<body>
<header class="site-header"><p class="site-name">Test clinic</p></header>
<main>
<h1>Host page</h1>
{f"<h2>{escape(section_heading)}</h2>" if section_heading else ""}
{slots}
</main>
</body>
</html>
"""
    key = f"{mode}|{section_heading}|{'|'.join(paths)}"
    name = hashlib.sha1(key.encode()).hexdigest()[:16] + ".html"
    (site.directory / name).write_text(html, encoding="utf-8")
    return site.url(name)
