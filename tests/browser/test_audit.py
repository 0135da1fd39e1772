"""`flask --app widget audit`, run as a QA team runs it: a command, a partner page, a report.

The partner page here embeds copies of real widget markup (taken from the
service), five of them deliberately broken, each in its own way: a comment box
without its label, text in a low-contrast colour, an id used twice, a focus
ring drawn only with box-shadow (forced colours remove it), and 16 px buttons.
The audit must name each with the right WCAG criterion, in the right copy;
the same page without the defects must pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask_babel import gettext
from playwright.sync_api import Page

from tests.browser.axe import axe_problems
from tests.browser.hosts import HostSite
from tests.feedback import FORM, fresh_fields
from tests.helpers import HTMX

PAGE_QUERY = "lang=en&page=https://clinic.example/help"

# Each planted defect: the copy it is in, and what the audit must say about it.
DEFECTS = {
    "missing-label": {"criterion": "4.1.2", "checks": {"axe:label"}},
    "low-contrast": {"criterion": "1.4.3", "checks": {"axe:color-contrast"}},
    "duplicate-id": {"criterion": "4.1.2", "checks": {"axe:duplicate-id-aria", "duplicate-id"}},
    "shadow-focus": {"criterion": "2.4.7", "checks": {"focus-forced-colors"}},
    "small-target": {"criterion": "2.5.8", "checks": {"axe:target-size", "target-size"}},
    # Fine in light mode; only the dark colour scheme makes its text unreadable.
    "dark-contrast": {"criterion": "1.4.3", "checks": {"axe:color-contrast"}},
}
COPIES = list(DEFECTS)

DEFECTS_CSS = """
#low-contrast [data-widget], #low-contrast [data-widget] * { color: #a6a6a6 !important; }
#shadow-focus :focus-visible {
  outline: none !important; box-shadow: 0 0 0 3px #1b1b1b !important;
}
#small-target .cw-feedback__answers { gap: 0 !important; }
@media (prefers-color-scheme: dark) {
  #dark-contrast [data-widget] p { color: #3a3a3a !important; }
}
#small-target button {
  min-width: 0 !important; min-height: 0 !important; width: 16px !important;
  height: 16px !important; padding: 0 !important; margin: 0 !important;
}
"""


def _section(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _widget_markup(app: Flask) -> dict[str, str]:
    """Each copy's markup, taken from the service as a partner's page would receive it."""
    client = app.test_client()
    banner = client.get("/widgets/helpline-banner?lang=en", headers=HTMX).text
    form = client.get(f"{FORM}?{PAGE_QUERY}", headers=HTMX).text
    # The comment step: the answer to "Yes", put into the form's body as htmx would.
    fields = fresh_fields(client, PAGE_QUERY, htmx=True)
    answer = client.post(f"{FORM}?{PAGE_QUERY}", data={**fields, "helpful": "yes"}, headers=HTMX)
    assert answer.status_code == 200
    commented = _section(form)
    body = commented.select_one(".cw-feedback__body")
    body.clear()
    step = _section(answer.text)
    step.select_one("[data-hx-swap-oob]").decompose()
    body.append(step)
    commented.select_one("[data-widget]")["data-state"] = "comment"
    return {
        "missing-label": str(commented),
        "low-contrast": banner,
        "duplicate-id": banner,
        "shadow-focus": form,
        "small-target": form,
        "dark-contrast": banner,
    }


def _break(name: str, markup: str) -> str:
    soup = _section(markup)
    if name == "missing-label":
        soup.select_one("label.cw-label").decompose()
    elif name == "duplicate-id":
        heading_id = soup.select_one("[data-widget]")["aria-labelledby"]
        soup.select_one("[data-widget] a")["id"] = heading_id
    return str(soup)


def _host_page(title: str, copies: dict[str, str], stylesheet: str | None) -> str:
    extra = f'<link rel="stylesheet" href="{stylesheet}">\n' if stylesheet else ""
    slots = "\n".join(f'<div id="{name}">\n{markup}\n</div>' for name, markup in copies.items())
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{{{{WIDGET_ORIGIN}}}}/static/widgets.css">
{extra}<script src="{{{{WIDGET_ORIGIN}}}}/static/widgets.js" defer></script>
</head>
<body>
<main>
<h1>{title}</h1>
{slots}
</main>
</body>
</html>
"""


@pytest.fixture(scope="module")
def planted(service_app: Flask, harness_site: HostSite) -> dict[str, str]:
    """The clean and the broken partner page; their URLs."""
    markup = _widget_markup(service_app)
    folder = harness_site.directory
    (folder / "audit-defects.css").write_text(DEFECTS_CSS, encoding="utf-8")
    (folder / "audit-clean.html").write_text(
        _host_page("Clinic help page", markup, None), encoding="utf-8"
    )
    broken = {name: _break(name, html) for name, html in markup.items()}
    (folder / "audit-broken.html").write_text(
        _host_page("Clinic help page", broken, "audit-defects.css"), encoding="utf-8"
    )
    return {
        "clean": harness_site.url("audit-clean.html"),
        "broken": harness_site.url("audit-broken.html"),
    }


@dataclass
class AuditRun:
    status: int
    output: str
    out: Path

    @property
    def report(self) -> dict:
        return json.loads((self.out / "report.json").read_text(encoding="utf-8"))


def run_audit(tmp: Path, *args: str) -> AuditRun:
    """The command as QA runs it, in its own process (it starts its own Chromium)."""
    out = tmp / "report"
    env = {
        **os.environ,
        "WIDGET_SECRET_KEY": "audit-test-secret",
        "WIDGET_DATABASE_URL": f"sqlite:///{tmp / 'feedback.sqlite3'}",
        "NO_COLOR": "1",
    }
    command = [sys.executable, "-m", "flask", "--app", "widget", "audit", "--out", str(out)]
    done = subprocess.run([*command, *args], env=env, capture_output=True, text=True, timeout=600)
    return AuditRun(done.returncode, done.stdout + done.stderr, out)


@pytest.fixture(scope="module")
def broken_run(planted: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> AuditRun:
    return run_audit(
        tmp_path_factory.mktemp("audit-broken"), "--url", planted["broken"], "--report-lang", "es"
    )


def _copy_of(selector: str) -> str:
    """Which wrapper (by its order in <main>) a finding's element is in."""
    marker = "main:nth-of-type(1) > div:nth-of-type("
    assert marker in selector, selector
    index = int(selector.split(marker, 1)[1].split(")", 1)[0])
    return COPIES[index - 1]


def test_the_audit_names_every_planted_defect_with_its_criterion(broken_run: AuditRun) -> None:
    assert broken_run.status == 1, broken_run.output
    report = broken_run.report
    assert report["passed"] is False
    (page,) = report["pages"]
    assert len(page["widgets"]) == len(COPIES), "every embedded widget was found"
    found: dict[str, list[dict]] = {name: [] for name in COPIES}
    for finding in page["findings"]:
        found[_copy_of(finding["selector"])].append(finding)
    for name, expected in DEFECTS.items():
        matching = [
            f
            for f in found[name]
            if f["check"] in expected["checks"] and expected["criterion"] in f["criteria"]
        ]
        summary = [(f["check"], f["criteria"]) for f in found[name]]
        assert matching, f"{name}: expected {expected}, found {summary}"
        assert all(f["title"] and f["fix"] and f["html"] for f in matching)
    dark = [f for f in found["dark-contrast"] if f["check"] == "axe:color-contrast"]
    assert dark and all(f["condition"] == "dark colour scheme" for f in dark)
    # Markup pasted into the page: bare, each copy found.
    assert [w["embedding"] for w in page["widgets"]] == ["bare"] * len(COPIES)


def test_the_report_shows_each_failure_with_criterion_element_screenshot_and_fix(
    broken_run: AuditRun, page: Page, service_app: Flask
) -> None:
    report = broken_run.report
    findings = report["pages"][0]["findings"]
    shots = [f["screenshot"] for f in findings if f["screenshot"]]
    assert shots, "failures come with screenshots"
    for name in shots:
        assert (broken_run.out / "screenshots" / name).stat().st_size > 100
    page.goto((broken_run.out / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "es"
    with service_app.test_request_context("/?lang=es"):
        title = gettext("Accessibility audit of Care Widgets")
    assert title != "Accessibility audit of Care Widgets", "the report is translated"
    assert page.locator("h1").inner_text() == title
    assert page.locator(".finding").count() == len(findings)
    criteria = page.locator(".finding dd a[href^='https://www.w3.org/WAI/WCAG22/Understanding/']")
    assert criteria.count() >= len(findings)
    images = page.locator(".finding img")
    assert images.count() == len(shots)
    for index in range(images.count()):
        assert images.nth(index).get_attribute("alt")
        assert images.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
    # The summary table has a row for the page and says how many problems it has.
    # And a table of every widget found with how it is embedded.
    assert page.get_by_role("table").count() == 3
    assert page.locator("#widgets-caption").count() == 1
    assert axe_problems(page) == []
    # On a phone the tables scroll in their own regions, which a keyboard can reach.
    page.set_viewport_size({"width": 320, "height": 640})
    assert axe_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_clean_partner_page_passes(planted: dict[str, str], tmp_path: Path) -> None:
    run = run_audit(tmp_path, "--url", planted["clean"], "--locale", "en")
    assert run.status == 0, run.output
    report = run.report
    assert report["passed"] is True
    (page,) = report["pages"]
    assert page["findings"] == []
    assert len(page["widgets"]) == len(COPIES)
    assert page["checks"] == [
        "axe",
        "dark-scheme",
        "structure",
        "keyboard",
        "reduced-motion",
        "resize-text",
        "text-spacing",
        "reflow",
    ]
    assert "[1/1]" in run.output and "pass" in run.output


def test_without_url_it_audits_the_built_in_examples(tmp_path: Path) -> None:
    run = run_audit(tmp_path, "--widget", "feedback-form", "--locale", "ar", "--mode", "iframe")
    assert run.status == 0, run.output
    report = run.report
    ids = [p["id"] for p in report["pages"]]
    assert ids == [
        "feedback-form.start.ar.iframe",
        "feedback-form.comment.ar.iframe",
        "feedback-form.thanks.ar.iframe",
    ]
    assert all(p["passed"] and len(p["widgets"]) == 2 for p in report["pages"])
    assert {w["embedding"] for p in report["pages"] for w in p["widgets"]} == {"iframe"}
    assert report["scope"] == "built-in"
    progress = [line for line in run.output.splitlines() if line.startswith("[")]
    assert len(progress) == 3
    for n, (line, page_id) in enumerate(zip(progress, ids, strict=True), start=1):
        assert line.startswith(f"[{n}/3] {page_id} pass ("), line


def test_a_page_without_widgets_fails_and_says_so(harness_site: HostSite, tmp_path: Path) -> None:
    (harness_site.directory / "audit-empty.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Empty</title></head>'
        "<body><main><h1>No widgets here</h1></main></body></html>",
        encoding="utf-8",
    )
    run = run_audit(tmp_path, "--url", harness_site.url("audit-empty.html"))
    assert run.status == 1, run.output
    (finding,) = run.report["pages"][0]["findings"]
    assert finding["check"] == "widget-missing"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--chromium", "/nonexistent/chromium", "--mode", "bare", "--locale", "en"],
            "No Chromium",
        ),
        (["--locale", "xx-nowhere"], "is not one of"),
        (["--widget", "weather"], "is not one of"),
        (["--url", "ftp://clinic.example/"], "is not an http(s) address"),
    ],
)
def test_setup_problems_exit_with_status_2_and_a_reason(
    tmp_path: Path, args: list[str], message: str
) -> None:
    run = run_audit(tmp_path, *args)
    assert run.status == 2, run.output
    assert message in run.output
    assert not (run.out / "report.json").exists()


def test_the_report_says_a_widget_was_swapped_in_by_htmx(
    harness_site: HostSite, tmp_path: Path
) -> None:
    from tests.browser.hosts import host_page

    url = host_page(harness_site, "htmx2", ["/widgets/helpline-banner?lang=en&variant=compact"])
    run = run_audit(tmp_path, "--url", url, "--locale", "en")
    assert run.status == 0, run.output
    (page,) = run.report["pages"]
    assert [(w["name"], w["embedding"]) for w in page["widgets"]] == [("helpline-banner", "htmx")]
    assert "dark-scheme" in page["checks"]
