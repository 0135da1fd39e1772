"""The audit's report: an HTML page for people (in the language asked for) and JSON for CI.

Both go into one folder with the screenshots they cite:
index.html, report.json and screenshots/*.png.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, render_template

from widget.audit.findings import BEST_PRACTICE, TargetResult, criterion_name, criterion_url
from widget.paths import PACKAGE_DIR

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Run:
    """What was audited, and with what."""

    scope: str  # "built-in" or the partner URLs, space-separated
    started: datetime
    seconds: float
    browser: str


def totals(results: list[TargetResult]) -> dict[str, int]:
    return {
        "pages": len(results),
        "passed": sum(1 for r in results if r.passed),
        "failed": sum(1 for r in results if r.findings),
        "errors": sum(1 for r in results if r.error),
        "findings": sum(len(r.findings) for r in results),
        "widgets": sum(len(r.widgets) for r in results),
    }


def by_criterion(results: list[TargetResult]) -> list[dict[str, Any]]:
    """How many findings cite each criterion, in WCAG's order (best practice last)."""
    counts = Counter(c for r in results for f in r.findings for c in f.criteria)

    def order(number: str) -> tuple[int, ...]:
        if number == BEST_PRACTICE:
            return (99,)
        return tuple(int(part) for part in number.split("."))

    return [
        {
            "criterion": number,
            "name": criterion_name(number),
            "url": criterion_url(number),
            "findings": counts[number],
        }
        for number in sorted(counts, key=order)
    ]


def as_json(results: list[TargetResult], run: Run) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "tool": "care-widgets audit",
        "scope": run.scope,
        "started": run.started.astimezone(UTC).isoformat(timespec="seconds"),
        "seconds": round(run.seconds, 1),
        "browser": run.browser,
        "standard": "WCAG 2.2 AA",
        "passed": all(r.passed for r in results) and bool(results),
        "totals": totals(results),
        "criteria": [{**c, "name": str(c["name"])} for c in by_criterion(results)],
        "pages": [r.to_json() for r in results],
    }


def checklists_folder() -> Path | None:
    """The manual checklists (docs/accessibility) of a checkout; None in an installed wheel."""
    folder = PACKAGE_DIR.parent / "docs" / "accessibility"
    return folder if folder.is_dir() else None


def write(app: Flask, out: Path, results: list[TargetResult], run: Run, lang: str) -> Path:
    """Write index.html and report.json into `out`; return the HTML file's path."""
    out.mkdir(parents=True, exist_ok=True)
    with app.test_request_context("/", query_string={"lang": lang}):
        data = as_json(results, run)
        html = render_template(
            "audit/report.html",
            run=run,
            results=results,
            totals=data["totals"],
            criteria=by_criterion(results),
            criterion_name=criterion_name,
            criterion_url=criterion_url,
            passed=data["passed"],
            checklists=checklists_folder(),
        )
    (out / "report.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    page = out / "index.html"
    page.write_text(html, encoding="utf-8")
    return page
