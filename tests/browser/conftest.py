"""Browser fixtures: the service and a partner host site on two origins, and Chromium.

Debian's Chromium (/usr/bin/chromium) is driven through Playwright's
executable_path; a Playwright browser download cannot be used on the project's
machines. Set CARE_WIDGETS_CHROMIUM to another executable, or to an empty
value to use Playwright's own browser on a developer machine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from werkzeug.serving import make_server

from tests.browser.hosts import ROOT, HostSite, examples_serve
from tests.helpers import PageProblems
from widget import create_app
from widget.audit.browser import LAUNCH_ARGS, chromium_path

# The audit's own choice of browser and flags (CARE_WIDGETS_CHROMIUM overrides the path).
CHROMIUM = chromium_path()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/browser as a browser test."""
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def examples_server():
    """The example clinic's web server, bound to a free port; it serves once the service runs."""
    server = examples_serve.make_server(ROOT / "examples")
    yield server
    server.server_close()


@pytest.fixture(scope="session")
def harness_server(tmp_path_factory: pytest.TempPathFactory):
    """A host site whose pages the tests write, bound to a free port."""
    directory = tmp_path_factory.mktemp("host-pages")
    (directory / "site.css").write_text((ROOT / "examples" / "site.css").read_text())
    server = examples_serve.make_server(directory)
    yield server
    server.server_close()


@pytest.fixture(scope="session")
def partners_file(tmp_path_factory: pytest.TempPathFactory, examples_server, harness_server):
    """The example partners, with the test servers' origins as their own.

    riverside-clinic may embed only on the example clinic's origin (so a test
    page on the harness origin is a stranger to it); clinica-del-valle on both.
    """
    registry = yaml.safe_load((ROOT / "examples" / "partners.yaml").read_text(encoding="utf-8"))
    origins = {
        "riverside-clinic": [examples_server.origin],
        "clinica-del-valle": [examples_server.origin, harness_server.origin],
    }
    for partner in registry["partners"]:
        partner["origins"] = origins[partner["id"]]
    path = tmp_path_factory.mktemp("partners") / "partners.yaml"
    path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def service_app(tmp_path_factory: pytest.TempPathFactory, partners_file):
    """The app the browser tests talk to, storing feedback in its own SQLite file."""
    folder = tmp_path_factory.mktemp("service")
    return create_app(
        {
            "SECRET_KEY": "browser-test-secret",
            "DATABASE_URL": f"sqlite:///{folder / 'feedback.sqlite3'}",
            "RATE_LIMIT": "off",
            "PARTNERS_FILE": str(partners_file),
        }
    )


@pytest.fixture(scope="session")
def service_origin(service_app) -> Iterator[str]:
    """The widget service on 127.0.0.1 at a free port, stopped after the session."""
    server = make_server("127.0.0.1", 0, service_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def examples_site(service_origin: str, examples_server) -> Iterator[HostSite]:
    """The example clinic pages of examples/, on another origin than the service."""
    examples_server.widget_origin = service_origin
    examples_serve.serve_in_thread(examples_server)
    yield HostSite(examples_server.origin, ROOT / "examples")
    examples_server.shutdown()


@pytest.fixture(scope="session")
def harness_site(service_origin: str, harness_server) -> Iterator[HostSite]:
    """A host site whose pages the tests write, to embed any widget URL in any mode."""
    harness_server.widget_origin = service_origin
    examples_serve.serve_in_thread(harness_server)
    yield HostSite(harness_server.origin, harness_server.directory)
    harness_server.shutdown()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, with the flags a closed network needs."""
    if CHROMIUM and not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"No Chromium at {CHROMIUM}: run scripts/test (it installs Debian's chromium), "
            "or set CARE_WIDGETS_CHROMIUM to a browser executable ('' for Playwright's own)."
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM or None, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context (no shared cache), phone-width friendly."""
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    problems = PageProblems()

    def on_console(message: ConsoleMessage) -> None:
        # HTTP errors are recorded with their URL by on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.console_errors.append(message.text)

    def on_response(response: Response) -> None:
        # Browsers ask every site for a favicon; the example pages have none.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.failed_requests.append(f"{response.url}: HTTP {response.status}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.console_errors.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: problems.failed_requests.append(f"{request.url}: {request.failure}"),
    )
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def restyled_page(browser: Browser) -> Iterator[Page]:
    """A page that takes the visitor's own styles (200% text, WCAG text spacing).

    In a real browser, user style sheets and text-spacing tools are not bound by
    the page's Content-Security-Policy; Playwright's add_style_tag is, unless
    the context bypasses it. Only the tests that apply a visitor's styles use this.
    """
    context = browser.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()
