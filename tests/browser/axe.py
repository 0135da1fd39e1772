"""Run axe-core in a page or frame with the WCAG 2.2 AA tags, and report what fails."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Frame, Page

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Real defects land among "incomplete" results of these rules.
INCOMPLETE_IS_FAILURE = {"aria-prohibited-attr", "duplicate-id-aria"}

_axe = Axe()
# Widgets in iframes come from another origin; axe only talks across origins
# when told to.
_ALLOW_FRAMES = "axe.configure({allowedOrigins: ['<unsafe_all_origins>']})"


def axe_problems(
    target: Page | Frame, *, disable: tuple[str, ...] = (), include: str | None = None
) -> list[str]:
    """Every violation (and listed incomplete result) as a readable line.

    On a Page, axe runs in every frame too and judges the page as a visitor
    meets it: page-level rules (one main landmark, one h1) count the host
    page and its frames together, so nothing needs to be switched off for
    widgets inside iframes. `include` (a CSS selector) limits the scan to
    those elements and what they contain, frames included.
    """
    frames = target.frames if isinstance(target, Page) else [target]
    for frame in frames:
        frame.wait_for_load_state()
        frame.evaluate(_axe.axe_script)
        frame.evaluate(_ALLOW_FRAMES)
    options = {
        "runOnly": {"type": "tag", "values": TAGS},
        "resultTypes": ["violations", "incomplete"],
    }
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    # Run axe directly: Axe().run() would inject axe again in the top frame
    # and forget the cross-origin setting.
    context = {"include": [[include]]} if include else None
    results = target.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )
    problems = []
    for kind, entries in (
        ("violation", results["violations"]),
        ("incomplete", results["incomplete"]),
    ):
        for entry in entries:
            if kind == "incomplete" and entry["id"] not in INCOMPLETE_IS_FAILURE:
                continue
            for node in entry["nodes"]:
                problems.append(
                    f"{kind} {entry['id']} ({entry.get('impact')}): {entry['help']} "
                    f"at {node['target']}: {node['html'][:160]}"
                )
    return problems


def assert_accessible(target: Page | Frame, *, disable: tuple[str, ...] = ()) -> None:
    """Fail with the list of axe findings, if there are any."""
    problems = axe_problems(target, disable=disable)
    assert not problems, f"axe found {len(problems)} problem(s):\n" + "\n".join(problems)
