"""Serve the example partner pages on their own origin, as a clinic's web server would.

    .venv/bin/python examples/serve.py --port 8001 --widget-origin http://127.0.0.1:5000

Start the service first (scripts/serve): it loads examples/partners.yaml, the
registry of the two example partners, whose pages live at this origin.

Pages are plain files; `{{WIDGET_ORIGIN}}` in them becomes the service's origin.
htmx 2 and htmx 4 come from node_modules/ (installed from the npm registry by
`npm ci`), served at /vendor/htmx2/ and /vendor/htmx4/. Every page is sent
with a strict Content-Security-Policy, so the examples prove the widgets need
no inline script or style on the partner's page.
"""

from __future__ import annotations

import argparse
import threading
import urllib.error
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent
NODE_MODULES = EXAMPLES_DIR.parent / "node_modules"
VENDOR = {
    "/vendor/htmx2/htmx.min.js": NODE_MODULES / "htmx2" / "dist" / "htmx.min.js",
    "/vendor/htmx4/htmx.min.js": NODE_MODULES / "htmx4" / "dist" / "htmx.min.js",
}


def host_csp(widget_origin: str) -> str:
    """A partner's strict policy: no inline code; scripts, styles and widgets from the service."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {widget_origin}",
            f"style-src 'self' {widget_origin}",
            f"connect-src 'self' {widget_origin}",
            f"frame-src {widget_origin}",
            f"img-src 'self' {widget_origin}",
            f"form-action 'self' {widget_origin}",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


class HostPageHandler(SimpleHTTPRequestHandler):
    """Static files, with the service origin filled into HTML pages."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path in VENDOR:
            if not VENDOR[path].is_file():
                # A fresh clone before `npm ci`: say so in the page's console.
                self.send_error(404, "htmx is not installed here: run npm ci (see README)")
                return
            self._send(VENDOR[path].read_bytes(), "text/javascript; charset=utf-8")
            return
        if path == "/":
            path = "/index.html"
        if path.endswith(".html"):
            file = (Path(self.directory) / path.lstrip("/")).resolve()
            if file.is_file() and file.is_relative_to(Path(self.directory).resolve()):
                html = file.read_text(encoding="utf-8")
                html = html.replace("{{WIDGET_ORIGIN}}", self.server.widget_origin)
                self._send(html.encode(), "text/html; charset=utf-8", csp=True)
                return
        super().do_GET()

    def _send(self, body: bytes, content_type: str, csp: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if csp:
            self.send_header("Content-Security-Policy", host_csp(self.server.widget_origin))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class HostServer(ThreadingHTTPServer):
    """The clinic's server; `widget_origin` may be set after binding, before serving."""

    daemon_threads = True
    widget_origin = "http://127.0.0.1:5000"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


def make_server(
    directory: Path, widget_origin: str = "", port: int = 0, host: str = "127.0.0.1"
) -> HostServer:
    """A host-page server for `directory`, bound but not yet serving; port 0 picks a free port."""
    server = HostServer((host, port), partial(HostPageHandler, directory=str(directory)))
    server.directory = Path(directory)
    if widget_origin:
        server.widget_origin = widget_origin.rstrip("/")
    return server


def serve_in_thread(server: HostServer) -> HostServer:
    """Serve in a daemon thread; stop with .shutdown()."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_in_thread(directory: Path, widget_origin: str) -> HostServer:
    """Bind a host-page server at a free port and serve it in a daemon thread."""
    return serve_in_thread(make_server(directory, widget_origin))


def first_steps(widget_origin: str) -> list[str]:
    """What is missing for the example pages to work, each with what to do (empty: nothing)."""
    notes = []
    missing = sorted({path.parent.parent.name for path in VENDOR.values() if not path.is_file()})
    if missing:
        notes.append(
            f"{' and '.join(missing)} not installed (the htmx pages need it): run `npm ci` "
            "in the repository, or scripts/setup --test. The iframe page works without it."
        )
    try:
        with urllib.request.urlopen(f"{widget_origin}/healthz", timeout=2):
            pass
    except urllib.error.HTTPError:
        pass  # the service answers (its database may be down): the pages can load
    except (OSError, ValueError):
        notes.append(
            f"No widget service answers at {widget_origin}: start it in another terminal "
            "with scripts/serve (PORT=… for another port, then --widget-origin here)."
        )
    return notes


def main() -> None:
    """Serve the examples until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--widget-origin", default="http://127.0.0.1:5000")
    args = parser.parse_args()
    for note in first_steps(args.widget_origin.rstrip("/")):
        print(f"Note: {note}")
    try:
        server = make_server(EXAMPLES_DIR, args.widget_origin, args.port)
    except OSError as error:
        raise SystemExit(
            f"Cannot listen on 127.0.0.1:{args.port} ({error.strerror}): "
            "choose another port with --port."
        ) from None
    print(f"Example clinic site: http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
