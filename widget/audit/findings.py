"""What the audit reports: findings, the checks that make them, and the WCAG criteria they cite.

Every sentence a QA team reads in the report is here, through gettext, so the
report speaks the language it is asked for (`flask audit --report-lang`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from flask_babel import LazyString, lazy_gettext

# WCAG 2.2 success criteria the checks cite: number -> (name, Understanding page slug).
CRITERIA: dict[str, tuple[Any, str]] = {
    "1.1.1": (lazy_gettext("Non-text Content"), "non-text-content"),
    "1.3.1": (lazy_gettext("Info and Relationships"), "info-and-relationships"),
    "1.3.2": (lazy_gettext("Meaningful Sequence"), "meaningful-sequence"),
    "1.4.1": (lazy_gettext("Use of Color"), "use-of-color"),
    "1.4.3": (lazy_gettext("Contrast (Minimum)"), "contrast-minimum"),
    "1.4.4": (lazy_gettext("Resize Text"), "resize-text"),
    "1.4.10": (lazy_gettext("Reflow"), "reflow"),
    "1.4.11": (lazy_gettext("Non-text Contrast"), "non-text-contrast"),
    "1.4.12": (lazy_gettext("Text Spacing"), "text-spacing"),
    "2.1.1": (lazy_gettext("Keyboard"), "keyboard"),
    "2.1.2": (lazy_gettext("No Keyboard Trap"), "no-keyboard-trap"),
    "2.3.3": (lazy_gettext("Animation from Interactions"), "animation-from-interactions"),
    "2.4.1": (lazy_gettext("Bypass Blocks"), "bypass-blocks"),
    "2.4.2": (lazy_gettext("Page Titled"), "page-titled"),
    "2.4.3": (lazy_gettext("Focus Order"), "focus-order"),
    "2.4.4": (lazy_gettext("Link Purpose (In Context)"), "link-purpose-in-context"),
    "2.4.6": (lazy_gettext("Headings and Labels"), "headings-and-labels"),
    "2.4.7": (lazy_gettext("Focus Visible"), "focus-visible"),
    "2.5.3": (lazy_gettext("Label in Name"), "label-in-name"),
    "2.5.8": (lazy_gettext("Target Size (Minimum)"), "target-size-minimum"),
    "3.1.1": (lazy_gettext("Language of Page"), "language-of-page"),
    "3.1.2": (lazy_gettext("Language of Parts"), "language-of-parts"),
    "3.3.2": (lazy_gettext("Labels or Instructions"), "labels-or-instructions"),
    "4.1.2": (lazy_gettext("Name, Role, Value"), "name-role-value"),
    "4.1.3": (lazy_gettext("Status Messages"), "status-messages"),
}
UNDERSTANDING = "https://www.w3.org/WAI/WCAG22/Understanding/{slug}.html"
BEST_PRACTICE = "best-practice"


def criterion_name(number: str) -> str:
    """The criterion's name in the current language ("Best practice" beyond WCAG)."""
    if number == BEST_PRACTICE:
        return str(lazy_gettext("Best practice (beyond WCAG)"))
    known = CRITERIA.get(number)
    return str(known[0]) if known else ""


def criterion_url(number: str) -> str | None:
    """The W3C's Understanding page of a criterion, when we know its address."""
    known = CRITERIA.get(number)
    return UNDERSTANDING.format(slug=known[1]) if known else None


def criteria_from_axe_tags(tags: list[str]) -> list[str]:
    """axe's tags ("wcag143", "wcag2411") as criterion numbers; best practice otherwise."""
    numbers = []
    for tag in tags:
        match = re.fullmatch(r"wcag(\d)(\d)(\d{1,2})", tag)
        if match:
            numbers.append(".".join(match.groups()))
    return numbers or [BEST_PRACTICE]


@dataclass(frozen=True)
class Check:
    """One thing the audit verifies beyond axe, with the criterion it serves and the fix."""

    id: str
    criterion: str
    title: Any  # lazy gettext
    fix: Any  # lazy gettext


CHECKS: dict[str, Check] = {
    check.id: check
    for check in [
        Check(
            "keyboard-unreachable",
            "2.1.1",
            lazy_gettext("A control cannot be reached with the Tab key"),
            lazy_gettext(
                "Use a native control (a link with href, a button, a form field). A custom "
                'control needs tabindex="0" and must answer Enter and Space.'
            ),
        ),
        Check(
            "keyboard-trap",
            "2.1.2",
            lazy_gettext("Keyboard focus cannot leave the widget"),
            lazy_gettext(
                "Remove scripts that move focus back into the widget on Tab; focus must be "
                "able to move on to the rest of the page."
            ),
        ),
        Check(
            "focus-order",
            "2.4.3",
            lazy_gettext("Tab order does not follow the order on screen"),
            lazy_gettext(
                "Remove positive tabindex values and CSS that shows controls in another "
                "order than the source (order, row-reverse); put the markup in reading order."
            ),
        ),
        Check(
            "focus-visible",
            "2.4.7",
            lazy_gettext("The focused control shows no visible focus outline"),
            lazy_gettext(
                "Give :focus-visible an outline of at least 2 px in a colour with 3:1 "
                "contrast; never set outline: none without a replacement."
            ),
        ),
        Check(
            "focus-forced-colors",
            "2.4.7",
            lazy_gettext(
                "The focus indicator disappears in forced colours (Windows contrast themes)"
            ),
            lazy_gettext(
                "Draw the focus indicator with outline, not box-shadow alone: forced colours "
                "remove shadows. A transparent outline beside the shadow is enough."
            ),
        ),
        Check(
            "target-size",
            "2.5.8",
            lazy_gettext("A control is smaller than 24 by 24 CSS pixels"),
            lazy_gettext(
                "Make the control at least 24×24 px (padding or min-height), or space it so "
                "that a 24 px circle on its centre touches no other control."
            ),
        ),
        Check(
            "reflow",
            "1.4.10",
            lazy_gettext("Content is cut off or scrolls sideways at 320 CSS pixels wide"),
            lazy_gettext(
                "Let boxes shrink and wrap: max-width: 100%, flexible widths, overflow-wrap: "
                "anywhere for long words and addresses; no fixed widths."
            ),
        ),
        Check(
            "resize-text",
            "1.4.4",
            lazy_gettext("Text is cut off, or does not grow, at 200% text size"),
            lazy_gettext(
                "Set font sizes in rem or em, never px, and let boxes grow with their text: "
                "no fixed heights and no overflow: hidden around text."
            ),
        ),
        Check(
            "text-spacing",
            "1.4.12",
            lazy_gettext("Text is cut off with WCAG text spacing"),
            lazy_gettext(
                "Let boxes grow with their text: no fixed heights, no overflow: hidden around "
                "text, so wider letter, word and line spacing still fits."
            ),
        ),
        Check(
            "reduced-motion",
            "2.3.3",
            lazy_gettext("Something still moves when the visitor asks for reduced motion"),
            lazy_gettext(
                "Inside @media (prefers-reduced-motion: reduce), set animation and "
                "transition to none."
            ),
        ),
        Check(
            "language-missing",
            "3.1.2",
            lazy_gettext("Text has no language of its own inside the widget"),
            lazy_gettext(
                "Put lang on the widget's root element (and on any part in another "
                "language), so screen readers pronounce it in the right language."
            ),
        ),
        Check(
            "language-mismatch",
            "3.1.2",
            lazy_gettext("Text is marked with a language it is not written in"),
            lazy_gettext(
                "Mark text that falls back to another language with that language "
                '(lang="en" on English text in a Chinese page, for example).'
            ),
        ),
        Check(
            "duplicate-id",
            "4.1.2",
            lazy_gettext("An id is used more than once on the page"),
            lazy_gettext(
                "Give each copy of a widget its own ids (load widgets.js, which renames a "
                "second copy's ids), and keep the host page's ids out of the widget's."
            ),
        ),
        Check(
            "landmark-name",
            "1.3.1",
            lazy_gettext("Two landmarks of the same kind have the same name"),
            lazy_gettext(
                "Name each landmark differently, or let a copy be a group: widgets.js does "
                "this for htmx copies and embed.js for framed ones."
            ),
        ),
        Check(
            "widget-missing",
            "4.1.2",
            lazy_gettext("An embedded widget did not appear"),
            lazy_gettext(
                "Check the embed code against the builder's snippet (/embed): the htmx "
                "configuration, the partner's origins and the Content-Security-Policy."
            ),
        ),
    ]
}


@dataclass
class Finding:
    """One failure: which check, which criterion, where, and how to fix it."""

    check: str  # a CHECKS id, or "axe:<rule>"
    criteria: list[str]
    # Our own checks' sentences stay lazy: they are put into words when the
    # report is written, in the report's language. axe's are English.
    title: str | LazyString
    fix: str | LazyString
    impact: str  # critical, serious, moderate, minor
    frame: str  # the URL of the document the element is in
    selector: str
    html: str
    detail: str = ""
    widget: str | None = None
    help_url: str | None = None
    screenshot: str | None = None  # a file name beside the report
    condition: str = ""  # e.g. "forced colours", "320 px wide"

    def to_json(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, LazyString) else value


@dataclass
class TargetResult:
    """The audit of one page: its widgets, what was checked, and what failed."""

    id: str
    url: str
    mode: str
    locale: str | None
    widgets: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.findings and self.error is None

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["findings"] = [finding.to_json() for finding in self.findings]
        data["passed"] = self.passed
        return data


def from_check(check_id: str, item: dict[str, Any], frame: str, **extra: Any) -> Finding:
    """A finding of one of our own checks, from what probe.js described."""
    check = CHECKS[check_id]
    return Finding(
        check=check.id,
        criteria=[check.criterion],
        title=check.title,
        fix=check.fix,
        impact=extra.pop("impact", "serious"),
        frame=frame,
        selector=item.get("selector", ""),
        html=item.get("html", ""),
        widget=item.get("widget"),
        help_url=criterion_url(check.criterion),
        **extra,
    )
