"""Embedding a widget does not shove the partner's page around (CLS ≤ 0.05).

Every widget and variant, at a phone's 390 px and a desktop's 1280 px, in
htmx 2, htmx 4 and iframe pages made exactly from the builder's snippets.
"""

from __future__ import annotations

import json
import os

import pytest
from flask import Flask
from playwright.sync_api import Browser

from tests.browser.hosts import HostSite
from tests.browser.layout_shift import CASES, MODES, WIDTHS, measure, snippet_page

# "Good" CLS in Core Web Vitals is 0.1; a widget may use half of it at most.
LIMIT = 0.05


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", list(CASES))
def test_embedding_does_not_shift_the_page(
    browser: Browser,
    service_app: Flask,
    harness_site: HostSite,
    service_origin: str,
    case: str,
    mode: str,
    width: int,
) -> None:
    url = snippet_page(service_app, harness_site, service_origin, CASES[case], mode)
    shift = measure(browser, url, width, mode)
    if os.environ.get("CLS_TABLE"):
        with open(os.environ["CLS_TABLE"], "a", encoding="utf-8") as table:
            table.write(json.dumps([case, mode, width, round(shift.cls, 4)]) + "\n")
    assert shift.cls <= LIMIT, f"CLS {shift.cls:.3f} from shifts {shift.shifts}"
