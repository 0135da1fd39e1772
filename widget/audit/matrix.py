"""The built-in matrix: every documented example × locale × embedding mode, as host pages.

Each target is one page: the example's own document (mode "bare"), or a host
page on another origin that embeds two copies of it with htmx 2, htmx 4 or
iframes, exactly as the embed builder's snippets do (two copies, so every
check also proves that copies keep their ids and landmark names apart).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from widget.components import Example, example_url, load_components
from widget.embed.snippets import HTMX2_CONFIG, HTMX4_CONFIG
from widget.locales import KNOWN_LOCALES

MODES = ("bare", "htmx2", "htmx4", "iframe")
COPIES = 2
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
HTMX = {
    "htmx2": NODE_MODULES / "htmx2" / "dist" / "htmx.min.js",
    "htmx4": NODE_MODULES / "htmx4" / "dist" / "htmx.min.js",
}
HTMX_CONFIG = {"htmx2": HTMX2_CONFIG, "htmx4": HTMX4_CONFIG}


class MatrixError(RuntimeError):
    """The matrix cannot run as asked (e.g. htmx is not installed); the message says why."""


@dataclass(frozen=True)
class Target:
    """One page to audit."""

    id: str
    mode: str  # bare, htmx2, htmx4, iframe, or "page" for a partner's URL
    locale: str | None
    example: Example | None = None
    url_path: str = ""  # the widget address (built-in targets)
    url: str = ""  # the page to open, once known

    @property
    def copies(self) -> int:
        return 1 if self.mode == "bare" else COPIES

    @property
    def bare(self) -> bool:
        return self.mode == "bare"


def targets(
    locales: list[str] | None = None,
    modes: list[str] | None = None,
    widgets: list[str] | None = None,
) -> list[Target]:
    """The matrix, optionally narrowed to some locales, modes and widgets."""
    chosen_locales = locales or list(KNOWN_LOCALES)
    chosen_modes = modes or list(MODES)
    found = []
    for component in load_components():
        if widgets and component.name not in widgets:
            continue
        for example in component.examples:
            for locale in chosen_locales:
                for mode in chosen_modes:
                    found.append(
                        Target(
                            id=f"{example.id}.{locale}.{mode}",
                            mode=mode,
                            locale=locale,
                            example=example,
                            url_path=example_url(example, lang=locale),
                        )
                    )
    return found


def missing_htmx(modes: list[str]) -> list[str]:
    """The htmx builds the chosen modes need that node_modules does not hold."""
    return [str(HTMX[m]) for m in modes if m in HTMX and not HTMX[m].is_file()]


def host_page(target: Target, service: str) -> str:
    """The host page of a built-in target: two copies of the widget, the way partners paste them."""
    example = target.example
    assert example is not None and (target.mode in HTMX_CONFIG or target.mode == "iframe")
    url = escape(service + target.url_path)
    head = []
    if target.mode == "iframe":
        slots = [
            f'<iframe class="widget-frame" src="{url}" title="{escape(example.component)} {n}" '
            f'width="100%" height="600" data-cw-autoheight></iframe>'
            for n in range(1, COPIES + 1)
        ]
        head.append(f'<script src="{service}/static/embed.js" defer></script>')
    else:
        head += [
            f"<meta name=\"htmx-config\" content='{HTMX_CONFIG[target.mode]}'>",
            f'<link rel="stylesheet" href="{service}/static/widgets.css">',
            f'<script src="{service}/static/widgets.js" defer></script>',
            f'<script src="/vendor/{target.mode}.js" defer></script>',
        ]
        slots = [
            f'<div hx-get="{url}" hx-trigger="load"><p><a href="{url}">{escape(example.component)}'
            "</a></p></div>"
            for _ in range(COPIES)
        ]
    # The host page's own headings down to the level above the widget's.
    headings = "".join(
        f"<h{level}>Section {level}</h{level}>\n" for level in range(2, example.heading_level)
    )
    newline = "\n"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Audit host page: {escape(target.id)}</title>
<link rel="stylesheet" href="/host.css">
{newline.join(head)}
</head>
<body>
<header><p>Clinic host page</p></header>
<main>
<h1>Getting help</h1>
{headings}{newline.join(slots)}
</main>
</body>
</html>
"""


HOST_CSS = """
body { font-family: system-ui, sans-serif; margin: 0; padding: 1rem; }
body { color: #1b1b1b; background: #fff; }
main { max-width: 48rem; margin: 0 auto; }
.widget-frame { display: block; width: 100%; border: 0; margin-block: 1rem; }
"""


class _Handler(BaseHTTPRequestHandler):
    server: HostSite

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path == "/host.css":
            self._send(HOST_CSS.encode(), "text/css; charset=utf-8")
        elif path.startswith("/vendor/") and path[8:-3] in HTMX:
            self._send(HTMX[path[8:-3]].read_bytes(), "text/javascript; charset=utf-8")
        elif path.startswith("/t/") and path[3:] in self.server.pages:
            target = self.server.pages[path[3:]]
            self._send(host_page(target, self.server.service).encode(), "text/html; charset=utf-8")
        else:
            self._send(b"not found", "text/plain", status=404)

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", self.server.csp)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class HostSite(ThreadingHTTPServer):
    """A partner's site on its own origin (127.0.0.1, a free port) serving the host pages."""

    daemon_threads = True

    def __init__(self, service: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.service = service.rstrip("/")
        self.pages: dict[str, Target] = {}
        # A partner's strict policy: no inline code; the service's scripts, styles and frames.
        self.csp = "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' {self.service}",
                f"style-src 'self' {self.service}",
                f"connect-src 'self' {self.service}",
                f"frame-src {self.service}",
                f"img-src 'self' {self.service}",
                f"form-action 'self' {self.service}",
                "base-uri 'none'",
                "object-src 'none'",
            ]
        )
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def url_for(self, target: Target) -> str:
        """Where the target's page is: the widget itself (bare) or its host page."""
        if target.bare:
            return self.service + target.url_path
        self.pages[target.id] = target
        return f"{self.origin}/t/{target.id}"

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
