"""`flask --app widget audit`: the accessibility checks, on built-in examples or a partner page.

Exit status: 0 when every page passed, 1 when any failed (or could not be
checked), 2 when the audit could not start (no Chromium, htmx not installed,
an unknown language or widget).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from widget.audit import report
from widget.audit.browser import BrowserMissing
from widget.audit.findings import TargetResult
from widget.audit.matrix import MODES, HostSite, MatrixError, Target, missing_htmx, targets
from widget.audit.service import private_service
from widget.locales import KNOWN_LOCALES, match_locale

SETUP_ERROR = 2


def _locales(values: tuple[str, ...]) -> list[str]:
    chosen = []
    for value in values:
        tag = match_locale(value)
        if tag is None:
            known = ", ".join(KNOWN_LOCALES)
            raise click.BadParameter(f"{value!r} is not one of {known}", param_hint="--locale")
        chosen.append(tag)
    return chosen


def _progress(index: int, total: int, result: TargetResult) -> None:
    if result.error:
        verdict = click.style("ERROR", fg="yellow") + f" {result.error}"
    elif result.findings:
        verdict = click.style("FAIL", fg="red") + f" {len(result.findings)} problem(s)"
    else:
        verdict = click.style("pass", fg="green")
    click.echo(f"[{index}/{total}] {result.id} {verdict} ({result.seconds:.1f} s)")


def _page_targets(urls: tuple[str, ...], locales: list[str]) -> list[Target]:
    found = []
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise click.BadParameter(f"{url!r} is not an http(s) address", param_hint="--url")
        for locale in locales or [None]:
            label = f"{url} [{locale}]" if locale else url
            found.append(Target(id=label, mode="page", locale=locale, url=url))
    return found


def _audit(
    app: Flask,
    urls: tuple[str, ...],
    locales: list[str],
    modes: list[str],
    widgets: list[str],
    shots: Path | None,
    executable: str | None,
) -> tuple[list[TargetResult], str, str]:
    try:  # Playwright is imported only when an audit runs
        from widget.audit import runner
    except ImportError as error:
        raise MatrixError(
            f"{error.name} is not installed: from a clone, pip install -e '.[audit]'"
        ) from None

    if urls:
        chosen = _page_targets(urls, locales)
        results, browser = runner.run(chosen, lambda t: t.url, shots, _progress, executable)
        return results, browser, " ".join(urls)
    missing = missing_htmx(modes)
    if missing:
        raise MatrixError(f"htmx is not installed ({', '.join(missing)}): run `npm ci` first")
    chosen = targets(locales or None, modes, widgets or None)
    if not chosen:
        raise MatrixError("no example matches the chosen widgets")
    click.echo(f"audit: {len(chosen)} pages (examples × languages × embedding modes)")
    with private_service(app) as service:
        site = HostSite(service)
        try:
            results, browser = runner.run(chosen, site.url_for, shots, _progress, executable)
        finally:
            site.close()
    return results, browser, "built-in"


@click.command("audit")
@click.option("--url", "urls", multiple=True, metavar="URL", help="A page embedding widgets.")
@click.option("--locale", "locale_values", multiple=True, metavar="L", help="A language tag.")
@click.option(
    "--mode",
    "modes",
    multiple=True,
    type=click.Choice(MODES),
    help="Built-in run: embedding modes (default: all).",
)
@click.option("--widget", "widgets", multiple=True, help="Built-in run: widget names.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("audit-report"),
    show_default=True,
    help="Folder for index.html, report.json and screenshots.",
)
@click.option("--report-lang", default="en", show_default=True, help="The report's language.")
@click.option("--screenshots/--no-screenshots", default=True, show_default=True)
@click.option("--chromium", default=None, help="Browser executable (CARE_WIDGETS_CHROMIUM).")
@with_appcontext
def audit_command(
    urls: tuple[str, ...],
    locale_values: tuple[str, ...],
    modes: tuple[str, ...],
    widgets: tuple[str, ...],
    out: Path,
    report_lang: str,
    screenshots: bool,
    chromium: str | None,
) -> None:
    """Check embedded widgets against WCAG 2.2 AA in Chromium and write a report.

    Without --url: every built-in example in every language (or each --locale)
    and embedding mode. With --url: the widgets on that page, as embedded
    (htmx swaps and iframes), once per --locale given as the browser's language.
    """
    app = current_app._get_current_object()
    locales = _locales(locale_values)
    lang = match_locale(report_lang)
    if lang is None:
        raise click.BadParameter(
            f"{report_lang!r} is not a known language", param_hint="--report-lang"
        )
    known_widgets = {t.example.component for t in targets(["en"], ["bare"])}
    for name in widgets:
        if name not in known_widgets:
            raise click.BadParameter(
                f"{name!r} is not one of {sorted(known_widgets)}", param_hint="--widget"
            )
    shots = out / "screenshots" if screenshots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    clock = time.monotonic()
    try:
        results, browser, scope = _audit(
            app, urls, locales, list(modes or MODES), list(widgets), shots, chromium
        )
    except (BrowserMissing, MatrixError) as error:
        click.echo(f"audit: {error}", err=True)
        raise SystemExit(SETUP_ERROR) from None
    run = report.Run(scope, started, time.monotonic() - clock, browser)
    page = report.write(app, out, results, run, lang)
    totals = report.totals(results)
    click.echo(
        f"audit: {totals['pages']} pages, {totals['passed']} passed, {totals['failed']} failed, "
        f"{totals['errors']} not checked, {totals['findings']} problems in {run.seconds:.0f} s"
    )
    click.echo(f"audit: report {page} and {out / 'report.json'}")
    if not all(r.passed for r in results) or not results:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(audit_command)
