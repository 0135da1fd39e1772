"""The worst layout shift (CLS) any widget causes on a partner page, for scripts/benchmark.

Builds the same partner pages as tests/browser/test_layout_shift.py (the
builder's snippets between the partner's own paragraphs) for every widget and
variant, in htmx 2, htmx 4 and an iframe, at 390 and 1280 px, measures
Chromium's cumulative layout shift on each and prints the worst.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from tests.browser.hosts import HostSite, examples_serve  # noqa: E402
from tests.browser.layout_shift import CASES, MODES, WIDTHS, measure, snippet_page  # noqa: E402
from widget import create_app  # noqa: E402
from widget.audit.browser import LAUNCH_ARGS, chromium_path  # noqa: E402


def worst_layout_shift(say=print) -> None:
    """Measure every case and print the worst CLS, with where it happened."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="care-widgets-cls-") as tmp:
        folder = Path(tmp)
        (folder / "site.css").write_text((ROOT / "examples" / "site.css").read_text())
        app = create_app(
            {
                "SECRET_KEY": "cls",
                "RATE_LIMIT": "off",
                "REQUEST_LOG": False,
                "DATABASE_URL": f"sqlite:///{folder / 'cls.sqlite3'}",
            }
        )
        service = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=service.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{service.server_port}"
        host = examples_serve.start_in_thread(folder, origin)
        site = HostSite(host.origin, folder)
        results = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path() or None, args=LAUNCH_ARGS
                )
                for case, choice in CASES.items():
                    for mode in MODES:
                        url = snippet_page(app, site, origin, choice, mode)
                        for width in WIDTHS:
                            shift = measure(browser, url, width, mode)
                            results.append((shift.cls, case, mode, width))
                browser.close()
        finally:
            host.shutdown()
            service.shutdown()
    worst = max(results)
    say(f"Layout shift (CLS) of embedding, {len(results)} pages (widgets x modes x widths)")
    say(f"  worst CLS {worst[0]:.4f} ({worst[1]}, {worst[2]}, {worst[3]} px); limit 0.05")


if __name__ == "__main__":
    worst_layout_shift()
