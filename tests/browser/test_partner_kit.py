"""The partner kit in Chromium: partner pages, refusals, auto-height, builder snippets, export."""

from __future__ import annotations

import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.hosts import ROOT, HostSite
from tests.browser.keys import tab_to
from widget.embed.snippets import htmx_pins

BANNER = '[data-widget="helpline-banner"]'
SLOT_BANNER = '[data-widget="helpline-banner"]:not([data-widget="substance-summary"] *)'
VENDOR = {"htmx2": "/vendor/htmx2/htmx.min.js", "htmx4": "/vendor/htmx4/htmx.min.js"}


def write_page(site: HostSite, name: str, head: str, body: str, lang: str = "en") -> str:
    html = (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{name}</title>\n{head}\n</head>\n<body>\n<main>\n<h1>{name}</h1>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )
    (site.directory / f"{name}.html").write_text(html, encoding="utf-8")
    return site.url(f"{name}.html")


def colour(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).color")


def test_the_partner_page_shows_its_own_line_in_its_own_colours(
    page: Page, examples_site: HostSite
) -> None:
    page.goto(examples_site.url("partner.html"))
    banner = page.locator(SLOT_BANNER)
    expect(banner.locator(".cw-tier--partner")).to_be_visible()
    expect(banner.locator(".cw-tier--partner a").first).to_have_attribute(
        "href", "tel:+12025550142"
    )
    # The registry's brand colour #0b6e4f, from the partner's theme stylesheet.
    assert colour(banner.locator(".cw-tier--treatment .cw-actions a").last) == "rgb(11, 110, 79)"
    summary = page.locator('[data-widget="substance-summary"]')
    expect(summary).to_have_attribute("data-partner", "riverside-clinic")
    expect(page.locator('[data-widget="feedback-form"]')).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.problems.assert_none()
    assert_accessible(page)


def test_the_spanish_partner_page_needs_no_lang_parameter(
    page: Page, examples_site: HostSite
) -> None:
    page.goto(examples_site.url("espanol.html"))
    for widget in ("helpline-banner", "substance-summary", "feedback-form"):
        expect(page.locator(f'[data-widget="{widget}"]').first).to_have_attribute("lang", "es")
    # The registry's #b07cd8 fails 4.5:1; the partner opted in, so it was darkened.
    link = page.locator('[data-widget="substance-summary"] .cw-sources__list a').first
    assert colour(link) not in ("rgb(176, 124, 216)", "rgb(0, 94, 162)")
    page.wait_for_load_state("networkidle")
    page.problems.assert_none()
    assert_accessible(page)


@pytest.mark.parametrize("mode", ["htmx2", "htmx4"])
def test_another_origin_gets_no_cors_grant_for_a_partner_widget(
    page: Page, harness_site: HostSite, service_origin: str, mode: str
) -> None:
    config = {
        "htmx2": '{"selfRequestsOnly":false,"includeIndicatorStyles":false}',
        "htmx4": '{"mode":"cors","includeIndicatorCSS":false}',
    }[mode]
    head = (
        f"<meta name=\"htmx-config\" content='{config}'>\n"
        f'<script src="{VENDOR[mode]}" defer></script>'
    )
    body = "\n".join(
        f'<div id="{partner}" hx-get="{service_origin}/widgets/helpline-banner?partner={partner}"'
        f' hx-trigger="load"><p><a href="#">fallback {partner}</a></p></div>'
        for partner in ("clinica-del-valle", "riverside-clinic")
    )
    page.goto(write_page(harness_site, f"cors-{mode}", head, body))
    # clinica-del-valle lists this origin: its banner arrives.
    expect(page.locator(f"#clinica-del-valle {BANNER}")).to_be_visible()
    page.wait_for_load_state("networkidle")
    # riverside-clinic does not: the browser withholds the answer, the fallback stays.
    expect(page.locator(f"#riverside-clinic {BANNER}")).to_have_count(0)
    expect(page.locator("#riverside-clinic a")).to_have_text("fallback riverside-clinic")
    assert any("CORS" in message for message in page.problems.console_errors)


def test_chromium_refuses_to_frame_a_partner_widget_on_another_origin(
    page: Page, harness_site: HostSite, service_origin: str
) -> None:
    body = "\n".join(
        f'<iframe id="{partner}" src="{service_origin}/widgets/helpline-banner?partner={partner}"'
        f' title="Help lines"></iframe>'
        for partner in ("clinica-del-valle", "riverside-clinic")
    )
    page.goto(write_page(harness_site, "frames", "", body))
    expect(page.frame_locator("#clinica-del-valle").locator(BANNER)).to_be_visible()
    page.wait_for_load_state("networkidle")
    refused = page.locator("#riverside-clinic").element_handle().content_frame()
    assert refused.url.startswith("chrome-error://"), refused.url
    assert refused.locator(BANNER).count() == 0
    assert any("frame-ancestors" in message for message in page.problems.console_errors)


def frame_fit(page: Page, selector: str) -> tuple[float, float, bool]:
    """The iframe's height, its content's height, and whether the frame can scroll."""
    frame: Frame = page.locator(selector).element_handle().content_frame()
    outer = page.locator(selector).evaluate("el => el.clientHeight")
    inner, scrolls = frame.evaluate(
        "() => [document.body.getBoundingClientRect().height,"
        " document.documentElement.scrollHeight > document.documentElement.clientHeight"
        " && getComputedStyle(document.documentElement).overflowY !== 'hidden']"
    )
    return outer, inner, scrolls


def wait_fit(page: Page, selector: str) -> None:
    page.wait_for_function(
        """selector => {
            const el = document.querySelector(selector);
            return el && el.style.height !== "";
        }""",
        arg=selector,
    )
    frame = page.locator(selector).element_handle().content_frame()
    for _ in range(50):
        outer, inner, scrolls = frame_fit(page, selector)
        if abs(outer - inner) <= 2:
            break
        frame.wait_for_timeout(100)
    assert abs(outer - inner) <= 2, (selector, outer, inner)
    assert not scrolls, f"{selector} shows a scrollbar"


def test_iframes_take_the_height_of_their_widget_and_follow_it(
    page: Page, examples_site: HostSite
) -> None:
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(examples_site.url("iframe.html"))
    frames = page.locator("iframe[data-cw-autoheight]")
    expect(frames).to_have_count(5)
    for index in range(5):
        frames.nth(index).evaluate("(el, i) => el.setAttribute('data-test-frame', i)", index)
    selectors = [f'[data-test-frame="{i}"]' for i in range(5)]
    for selector in selectors:
        wait_fit(page, selector)
    feedback = '[data-test-frame="3"]'
    before, _, _ = frame_fit(page, feedback)
    page.frame_locator(feedback).get_by_role("button", name="Yes").click()
    page.frame_locator(feedback).get_by_role("textbox").wait_for()
    page.wait_for_function(
        "([s, h]) => document.querySelector(s).clientHeight > h + 20",
        arg=[feedback, before],
    )
    wait_fit(page, feedback)
    page.problems.assert_none()


def test_without_the_script_a_frame_keeps_its_height_and_scrolls(
    page: Page, harness_site: HostSite, service_origin: str
) -> None:
    body = (
        f'<iframe id="f" src="{service_origin}/widgets/helpline-banner" title="Help lines"'
        ' width="300" height="200" data-cw-autoheight></iframe>'
    )
    page.goto(write_page(harness_site, "no-script", "", body))
    frame = page.locator("#f").element_handle().content_frame()
    frame.wait_for_selector(BANNER)
    page.wait_for_timeout(800)  # frame.js says "ready" a few times; nobody answers
    assert page.locator("#f").evaluate("el => el.clientHeight") == 200
    assert (
        frame.evaluate("() => document.documentElement.classList.contains('cw-autoheight')")
        is False
    )
    assert frame.evaluate("() => document.documentElement.scrollHeight > innerHeight")
    page.problems.assert_none()


def test_embed_js_added_after_the_frames_gave_up_still_sizes_them_and_marks_the_copy(
    page: Page, harness_site: HostSite, service_origin: str
) -> None:
    # A tag manager or consent tool may add the script long after the frames
    # loaded, when frame.js has stopped saying "ready" (five times in 7.5 s).
    page.add_init_script(
        "if (window.top === window) { window.readies = 0; addEventListener('message',"
        " e => { if (e.data && e.data.careWidgets === 'ready') window.readies++; }); }"
    )
    src = f"{service_origin}/widgets/helpline-banner?variant=compact"
    body = "".join(
        f'<iframe id="f{n}" src="{src}" title="Help lines {n}" width="300" height="200"'
        " data-cw-autoheight></iframe>"
        for n in (1, 2)
    )
    page.goto(write_page(harness_site, "late-script", "", body))
    page.wait_for_function("() => window.readies >= 10", timeout=20_000)
    page.wait_for_timeout(300)
    first, second = (page.locator(f"#f{n}").element_handle().content_frame() for n in (1, 2))
    assert second.locator(BANNER).get_attribute("role") is None, "nobody has said hello yet"
    page.add_script_tag(url=f"{service_origin}/static/embed.js")
    expect(second.locator(BANNER)).to_have_attribute("role", "group")
    expect(second.locator(BANNER)).not_to_have_attribute("aria-labelledby", re.compile("."))
    expect(first.locator(BANNER)).to_have_attribute("aria-labelledby", re.compile("-title$"))
    for frame in (first, second):
        expect(frame.locator("html")).to_have_class(re.compile(r"\bcw-autoheight\b"))
    for selector in ("#f1", "#f2"):
        wait_fit(page, selector)
    assert page.evaluate("() => window.readies") == 10, "no frame had to ask again"
    page.problems.assert_none()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_embed_builder_passes_axe(page: Page, service_origin: str, lang: str) -> None:
    page.goto(f"{service_origin}/embed?lang={lang}&widget=feedback-form&partner=riverside-clinic")
    expect(page.locator(".cw-builder__preview")).to_be_visible()
    page.frame_locator(".cw-builder__preview").locator('[data-widget="feedback-form"]').wait_for()
    assert_accessible(page)
    page.problems.assert_none()


def test_copy_buttons_work_by_keyboard_and_announce_it(
    browser: Browser, service_origin: str
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{service_origin}/embed?variant=compact")
        button = page.get_by_role("button", name="Copy the iframe code")
        tab_to(page, button, most=80)
        page.keyboard.press("Enter")
        status = page.get_by_role("status")
        expect(status).to_have_text("Copied the iframe code.")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == page.locator("#b-iframe-code").text_content()
        assert "helpline-banner?variant=compact" in copied
    finally:
        context.close()


def snippet(page: Page, service_origin: str, key: str, query: str) -> str:
    page.goto(f"{service_origin}/embed?{query}")
    return page.locator(f"#b-{key}-code").text_content()


@pytest.mark.parametrize("key", ["htmx2", "htmx4", "iframe", "oembed"])
def test_each_builder_snippet_pasted_into_a_host_page_works(
    page: Page, harness_site: HostSite, service_origin: str, key: str
) -> None:
    query = "widget=helpline-banner&variant=compact&language=es&partner=clinica-del-valle"
    code = snippet(page, service_origin, key, query)
    if key == "oembed":
        code = page.request.get(code).json()["html"]
    head, body = "", code
    if key in VENDOR:
        # As the builder says: the lines before the first div in the head, the div
        # in the body. htmx is served by the host itself (no network here), the
        # same file as the pinned CDN one: the browser checks its hash.
        code = code.replace(htmx_pins()[key]["url"], VENDOR[key])
        lines = code.splitlines()
        split = next(i for i, line in enumerate(lines) if line.startswith("<div"))
        head = "\n".join(lines[:split])
        body = "\n".join(lines[split:])
    page.goto(write_page(harness_site, f"pasted-{key}", head, body))
    if key in VENDOR:
        widget = page.locator(BANNER)
    else:
        widget = page.frame_locator("iframe").locator(BANNER)
    expect(widget).to_be_visible()
    expect(widget).to_have_attribute("lang", "es")
    expect(widget).to_have_attribute("data-variant", "compact")
    expect(widget.locator(".cw-compact-line--partner")).to_be_visible()
    if key in ("iframe", "oembed"):
        wait_fit(page, "iframe")
    page.wait_for_load_state("networkidle")
    page.problems.assert_none()


def test_the_export_served_by_http_server_loads_through_htmx(
    page: Page, service_app, service_origin: str, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    result = service_app.test_cli_runner().invoke(
        args=["export", str(out), "--base-url", service_origin, "--locale", "es", "--partner",
              "clinica-del-valle"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shutil.copyfile(ROOT / "node_modules/htmx2/dist/htmx.min.js", out / "htmx.min.js")
    base = "partners/clinica-del-valle/widgets"
    (out / "host.html").write_text(
        '<!doctype html>\n<html lang="es"><head><meta charset="utf-8"><title>Ayuda</title>\n'
        f'<link rel="stylesheet" href="static/widgets.css">\n'
        f'<link rel="stylesheet" href="partners/clinica-del-valle/theme.css">\n'
        '<script src="htmx.min.js" defer></script></head>\n<body><main><h1>Ayuda</h1>\n'
        f'<div id="banner" hx-get="{base}/helpline-banner/es/full.fragment.html" hx-trigger="load">'
        "</div>\n"
        f'<div id="index" hx-get="{base}/substance-summary/es/index.fragment.html"'
        ' hx-trigger="load"></div>\n</main></body></html>\n',
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(out))
    )
    server.daemon_threads = True
    SimpleHTTPRequestHandler.log_message = lambda *args: None  # type: ignore[method-assign]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/host.html")
        banner = page.locator(f"#banner {BANNER}")
        expect(banner).to_be_visible()
        expect(banner).to_have_attribute("lang", "es")
        expect(banner.locator(".cw-tier--partner")).to_be_visible()
        assert colour(banner.locator(".cw-tier--treatment .cw-actions a").last) != "rgb(0, 94, 162)"
        expect(page.locator('#index [data-widget="substance-summary-index"]')).to_be_visible()
        page.wait_for_load_state("networkidle")
        page.problems.assert_none()
    finally:
        server.shutdown()
        server.server_close()
