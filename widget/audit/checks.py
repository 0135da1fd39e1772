"""Run every check on one loaded page, scoped to the widgets on it (in the page and in its frames).

axe-core first (violations, and the incomplete results that are real
defects), then what axe cannot see: the keyboard path with its focus outline,
forced colours, reduced motion, 200% text, WCAG text spacing, reflow and
target size at 320 px, the language of every text, ids and landmark names.
The browser state each check needs (media emulation, viewport, visitor
styles) is set for it and put back after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from widget.audit.findings import (
    CHECKS,
    Finding,
    criteria_from_axe_tags,
    criterion_url,
    from_check,
)

PROBE = resources.files("widget.audit").joinpath("probe.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Real defects land among the incomplete results of these rules.
INCOMPLETE_IS_FAILURE = {"aria-prohibited-attr", "duplicate-id-aria"}
# What the dark colour scheme can break: the contrast of text and of links in text.
DARK_RULES = ("color-contrast", "link-in-text-block")
_ALLOW_FRAMES = "axe.configure({allowedOrigins: ['<unsafe_all_origins>']})"

PHONE = {"width": 320, "height": 640}
TEXT_200 = "html { font-size: 200% !important; }"
# WCAG 1.4.12's values, on the widgets only.
TEXT_SPACING = """
[data-widget], [data-widget] * {
  line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important;
}
[data-widget] p { margin-block-end: 2em !important; }
"""
MAX_SCREENSHOTS = 40


@dataclass
class WidgetFrame:
    """A document (the page or one of its frames) holding at least one widget."""

    frame: Frame
    widgets: list[dict[str, Any]]
    chain: list[str]  # selectors of the iframes that lead to it from the top page

    @property
    def url(self) -> str:
        return self.frame.url


def _probe(frame: Frame) -> bool:
    try:
        frame.evaluate(PROBE)
        return True
    except PlaywrightError:
        return False  # a frame that navigates or closes meanwhile


def widget_frames(page: Page) -> list[WidgetFrame]:
    """Every document of the page that holds widgets, the top one first."""
    found = []
    for frame in page.frames:
        if not _probe(frame):
            continue
        try:
            widgets = frame.evaluate("window.__cwAudit.widgets()")
        except PlaywrightError:
            continue
        if widgets:
            found.append(WidgetFrame(frame, widgets, _chain(frame)))
    return found


def _chain(frame: Frame) -> list[str]:
    chain: list[str] = []
    while frame.parent_frame is not None:
        parent = frame.parent_frame
        _probe(parent)
        element = frame.frame_element()
        chain.insert(0, element.evaluate("el => window.__cwAudit.path(el)"))
        frame = parent
    return chain


def _failures(results: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each (rule, node) axe reports as failing: its violations, and the incomplete
    results of the rules whose incomplete results are real defects."""
    for kind in ("violations", "incomplete"):
        for rule in results[kind]:
            if kind == "incomplete" and rule["id"] not in INCOMPLETE_IS_FAILURE:
                continue
            for node in rule["nodes"]:
                yield rule, node


@dataclass
class _AxeScope:
    """What of an axe run belongs to the widgets: the documents and elements that are ours."""

    bare: bool
    framed: set[str]  # addresses of the widgets' own frame documents
    holders: set[str]  # selectors of the iframes on the top page that hold a widget
    roots: list[str]  # selectors of the widgets' roots on the top page

    @classmethod
    def of(cls, frames: list[WidgetFrame], bare: bool) -> _AxeScope:
        top = next((wf for wf in frames if not wf.chain), None)
        return cls(
            bare=bare,
            framed={wf.url for wf in frames if wf.chain},
            holders={wf.chain[0] for wf in frames if wf.chain},
            roots=[w["selector"] for w in top.widgets] if top else [],
        )

    def holds(self, page: Page, frame: Frame | None, selector: str | None) -> bool:
        """Whether a node axe found (in `frame`, at `selector`) is ours to report."""
        if self.bare or (frame.url if frame else page.url) in self.framed:
            return True
        if frame is not page.main_frame or selector is None:
            return False
        return selector in self.holders or any(_inside(selector, r) for r in self.roots)


def _axe_finding(
    rule: dict[str, Any], node: dict[str, Any], where: str, selector: str | None, condition: str
) -> Finding:
    """A finding in the report's terms from one failing node of an axe rule."""
    criteria = criteria_from_axe_tags(rule["tags"])
    return Finding(
        check=f"axe:{rule['id']}",
        criteria=criteria,
        title=rule["help"],
        fix=node.get("failureSummary") or rule["description"],
        impact=node.get("impact") or rule.get("impact") or "serious",
        frame=where,
        selector=selector or " ".join(map(str, node["target"])),
        html=node["html"][:400],
        detail=rule["description"],
        widget=None,
        help_url=rule.get("helpUrl"),
        condition=condition,
    )


@dataclass
class PageAudit:
    """The checks of one page. `bare` when the page is a widget's own standalone page."""

    page: Page
    bare: bool = False
    screenshots: Path | None = None
    shot_prefix: str = "shot"
    findings: list[Finding] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    _shots: int = 0
    _axe_keys: set[tuple[str, str, str]] = field(default_factory=set)

    # -- bookkeeping ------------------------------------------------------------------

    def _add(self, finding: Finding, frame: Frame | None = None) -> None:
        key = (finding.frame, finding.selector, finding.criteria[0])
        if not finding.check.startswith("axe:") and key in self._axe_keys:
            return  # axe said it first, about the same element
        if frame is not None and finding.selector:
            finding.screenshot = self._shoot(frame, finding.selector)
        self.findings.append(finding)

    def _shoot(self, frame: Frame, selector: str) -> str | None:
        if self.screenshots is None or self._shots >= MAX_SCREENSHOTS:
            return None
        self._shots += 1
        name = f"{self.shot_prefix}-{self._shots}.png"
        try:
            frame.locator(selector).first.screenshot(
                path=str(self.screenshots / name), timeout=3000, animations="disabled"
            )
        except PlaywrightError:
            return None
        return name

    def _each(self, frames: list[WidgetFrame], script: str, arg: Any = None) -> list[tuple]:
        results = []
        for wf in frames:
            _probe(wf.frame)
            results.append((wf, wf.frame.evaluate(script, arg)))
        return results

    # -- the checks -------------------------------------------------------------------

    def run(self, frames: list[WidgetFrame]) -> list[Finding]:
        """Every check, in an order that leaves the page as it was found."""
        steps: list[tuple[str, Callable[[list[WidgetFrame]], None]]] = [
            ("axe", self.axe),
            ("dark-scheme", self.dark_scheme),
            ("structure", self.structure),
            ("keyboard", self.keyboard),
            ("reduced-motion", self.reduced_motion),
            ("resize-text", self.resize_text),
            ("text-spacing", self.text_spacing),
            ("reflow", self.reflow),
        ]
        for name, step in steps:
            step(frames)
            self.checks.append(name)
        return self.findings

    def dark_scheme(self, frames: list[WidgetFrame]) -> None:
        """The colour rules of axe again with the visitor's system in dark mode.

        The widgets switch to their dark palette under prefers-color-scheme:
        dark (frames follow too); every text and link must still read.
        """
        self.page.emulate_media(color_scheme="dark")
        try:
            self.page.wait_for_timeout(50)  # one frame for the new palette to paint
            self.axe(frames, rules=DARK_RULES, condition="dark colour scheme")
        finally:
            self.page.emulate_media(color_scheme="light")

    def axe(
        self, frames: list[WidgetFrame], rules: tuple[str, ...] = (), condition: str = ""
    ) -> None:
        """axe-core with the WCAG 2.2 AA tags on the page, as a visitor meets it, frames included.

        Page-level rules judge the host page and its frames together (one main,
        one h1), so the run is not narrowed; what it finds is kept when it lies
        in a widget, in a widget's document, or is the iframe that holds one.
        `rules` narrows the run to those rules; `condition` marks what it finds.
        """
        self._load_axe()
        results = self._run_axe(rules)
        scope = _AxeScope.of(frames, self.bare)
        for rule, node in _failures(results):
            frame, selector = self._resolve(node["target"])
            if not scope.holds(self.page, frame, selector):
                continue
            where = frame.url if frame else self.page.url
            finding = _axe_finding(rule, node, where, selector, condition)
            self._axe_keys.add((finding.frame, finding.selector, finding.criteria[0]))
            self._add(finding, frame if selector else None)

    def _load_axe(self) -> None:
        """axe-core in every document of the page, allowed to look into cross-origin frames."""
        for frame in self.page.frames:
            try:
                frame.evaluate(Axe().axe_script)
                frame.evaluate(_ALLOW_FRAMES)
            except PlaywrightError:
                continue

    def _run_axe(self, rules: tuple[str, ...]) -> dict[str, Any]:
        """One axe run from the top document: the WCAG tags, or only `rules` when given.

        A bare page is a direct visit: a standalone page (main, h1), so every
        rule is on. The iframe document, which keeps the host page's outline,
        is judged inside its host page (one main, one h1 between them).
        """
        options: dict[str, Any] = {
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations", "incomplete"],
        }
        if rules:
            options["runOnly"] = {"type": "rule", "values": list(rules)}
        return self.page.evaluate("options => axe.run(document, options)", options)

    def _resolve(self, target: list[Any]) -> tuple[Frame | None, str | None]:
        """axe's target (a selector per frame level) as a frame and our own selector."""
        frame = self.page.main_frame
        try:
            for selector in target[:-1]:
                handle = frame.query_selector(selector) if isinstance(selector, str) else None
                frame = handle.content_frame() if handle else None
                if frame is None:
                    return None, None
            last = target[-1]
            if not isinstance(last, str):
                return frame, None
            _probe(frame)
            selector = frame.evaluate(
                "s => { const el = document.querySelector(s);"
                " return el && window.__cwAudit.path(el); }",
                last,
            )
            return frame, selector
        except PlaywrightError:
            return None, None

    def structure(self, frames: list[WidgetFrame]) -> None:
        """Language of every text, ids, landmark names, controls a keyboard cannot reach."""
        axe_ids = {
            m.group(1)
            for f in self.findings
            if f.check == "axe:duplicate-id-aria"
            for m in [re.search(r'\bid="([^"]+)"', f.html)]
            if m
        }
        landmarks: dict[tuple[str, str], list[tuple[WidgetFrame, dict]]] = {}
        for wf, result in self._each(
            frames,
            """() => ({
              languages: __cwAudit.languages(), ids: __cwAudit.duplicateIds(),
              landmarks: __cwAudit.landmarks(), unreachable: __cwAudit.unreachable(),
              reordered: __cwAudit.reordered(),
            })""",
        ):
            for item in result["languages"]:
                kind = "language-mismatch" if item["kind"] == "script" else "language-missing"
                detail = f"lang={item['lang']!r}" if item["lang"] is not None else "no lang"
                self._add(from_check(kind, item, wf.url, detail=detail), wf.frame)
            for item in result["ids"]:
                if item["id"] in axe_ids:
                    continue
                detail = f'id="{item["id"]}" × {item["count"]}'
                self._add(from_check("duplicate-id", item, wf.url, detail=detail), wf.frame)
            for item in result["unreachable"]:
                self._add(from_check("keyboard-unreachable", item, wf.url), wf.frame)
            for item in result["reordered"]:
                self._add(from_check("focus-order", item, wf.url, detail=item["how"]), wf.frame)
            for item in result["landmarks"]:
                landmarks.setdefault((item["role"], item["name"]), []).append((wf, item))
        for (role, name), places in landmarks.items():
            for wf, item in places[1:]:
                detail = f'{role} "{name}" × {len(places)}'
                finding = from_check(
                    "landmark-name", item, wf.url, detail=detail, impact="moderate"
                )
                self._add(finding, wf.frame)

    def keyboard(self, frames: list[WidgetFrame]) -> None:
        """Tab through the page: every control reached, in order, with a visible outline."""
        expected: dict[tuple[str, str], dict] = {}
        order: dict[str, list[str]] = {}
        for wf, controls in self._each(frames, "() => __cwAudit.controls()"):
            for control in controls:
                expected[(wf.url, control["selector"])] = control
            order[wf.url] = [c["selector"] for c in controls]
        if not expected:
            return
        host_controls = self.page.evaluate(
            "() => document.querySelectorAll('a[href], button, input, select, textarea, "
            "summary, iframe, [tabindex]').length"
        )
        most = min(len(expected) + host_controls + 10, 600)
        for wf in frames:
            if wf.chain:
                wf.frame.evaluate("() => document.activeElement && document.activeElement.blur()")
        _probe(self.page.main_frame)
        self.page.evaluate("() => window.__cwAudit.focusStart()")
        reached: list[tuple[WidgetFrame, dict]] = []
        seen: set[tuple[str, str]] = set()
        trap_run = 0
        for _ in range(most):
            self.page.keyboard.press("Tab")
            where = self._focused(frames)
            if where is None:
                trap_run = 0
                if len(seen) == len(expected):
                    break
                continue
            wf, item = where
            key = (wf.url, item["selector"])
            if key in seen:
                trap_run += 1
                if trap_run > len(expected) + 2:
                    self._add(
                        from_check("keyboard-trap", item, wf.url, impact="critical"), wf.frame
                    )
                    break
                continue
            trap_run = 0
            seen.add(key)
            reached.append((wf, item))
        for key, control in expected.items():
            if key not in seen:
                wf = next(w for w in frames if w.url == key[0])
                self._add(from_check("keyboard-unreachable", control, key[0]), wf.frame)
        self._check_order(reached, order)
        for wf, item in reached:
            style = item["style"]
            if not _outline(style) and style["boxShadow"] in ("none", ""):
                detail = f"outline: {style['outlineStyle']} {style['outlineWidth']}px"
                self._add(from_check("focus-visible", item, wf.url, detail=detail), wf.frame)
        self._forced_colors(reached)

    def _focused(self, frames: list[WidgetFrame]) -> tuple[WidgetFrame, dict] | None:
        """The widget control that has focus now, if any."""
        for wf in frames:
            try:
                item = wf.frame.evaluate("() => window.__cwAudit.focused()")
            except PlaywrightError:
                continue
            if item["where"] == "widget":
                return wf, item
        return None

    def _check_order(self, reached: list[tuple[WidgetFrame, dict]], order: dict[str, list[str]]):
        by_widget: dict[tuple[str, str], list[tuple[WidgetFrame, dict]]] = {}
        for wf, item in reached:
            root = _root_of(wf, item["selector"])
            by_widget.setdefault((wf.url, root), []).append((wf, item))
        for (url, _root), items in by_widget.items():
            dom = order[url]
            positions = [dom.index(item["selector"]) for _, item in items]
            for (wf, item), before, after in zip(items[1:], positions, positions[1:], strict=False):
                if after < before:
                    self._add(from_check("focus-order", item, url, detail="tabindex"), wf.frame)
                    break
            rtl = any(w.get("dir") == "rtl" for w in items[0][0].widgets)
            for (wf, a), (_, b) in zip(items, items[1:], strict=False):
                # Along one line the line's own direction counts (English text
                # in an Arabic widget reads left to right).
                line_rtl = a.get("line", "rtl" if rtl else "ltr") == "rtl"
                if _visually_before(b["rect"], a["rect"], line_rtl if _same_line(a, b) else rtl):
                    self._add(from_check("focus-order", b, url, detail="visual order"), wf.frame)
                    break

    def _forced_colors(self, reached: list[tuple[WidgetFrame, dict]]) -> None:
        self.page.emulate_media(forced_colors="active")
        try:
            by_frame: dict[str, tuple[WidgetFrame, list[str]]] = {}
            for wf, item in reached:
                by_frame.setdefault(wf.url, (wf, []))[1].append(item["selector"])
            for wf, selectors in by_frame.values():
                _probe(wf.frame)
                for item in wf.frame.evaluate("s => __cwAudit.focusEach(s)", selectors):
                    if item and not _outline(item["style"]):
                        detail = f"box-shadow: {item['style']['boxShadow']}"
                        finding = from_check(
                            "focus-forced-colors",
                            item,
                            wf.url,
                            detail=detail,
                            condition="forced-colors",
                        )
                        self._add(finding, wf.frame)
        finally:
            self.page.emulate_media(forced_colors="none")

    def reduced_motion(self, frames: list[WidgetFrame]) -> None:
        self.page.emulate_media(reduced_motion="reduce")
        try:
            for wf, items in self._each(frames, "() => __cwAudit.moving()"):
                for item in items:
                    finding = from_check(
                        "reduced-motion",
                        item,
                        wf.url,
                        condition="reduced-motion",
                        impact="moderate",
                    )
                    self._add(finding, wf.frame)
        finally:
            self.page.emulate_media(reduced_motion="no-preference")

    def resize_text(self, frames: list[WidgetFrame]) -> None:
        before = {wf.url: sizes for wf, sizes in self._each(frames, "() => __cwAudit.fontSizes()")}
        self._each(frames, "css => __cwAudit.addStyle(css)", TEXT_200)
        try:
            self.page.wait_for_timeout(50)
            for wf, result in self._each(
                frames, "() => ({sizes: __cwAudit.fontSizes(), clipped: __cwAudit.clipped()})"
            ):
                for selector, size in result["sizes"].items():
                    old = before[wf.url].get(selector)
                    if old and size < old * 1.9:
                        item = {"selector": selector, "html": "", "widget": None}
                        detail = f"font-size {old:g}px → {size:g}px"
                        finding = from_check(
                            "resize-text", item, wf.url, detail=detail, condition="text-200"
                        )
                        self._add(finding, wf.frame)
                        break  # one is enough to show the cause
                for item in result["clipped"]:
                    detail = f"content {item['scroll']}, box {item['box']}"
                    finding = from_check(
                        "resize-text", item, wf.url, detail=detail, condition="text-200"
                    )
                    self._add(finding, wf.frame)
        finally:
            self._each(frames, "() => __cwAudit.removeStyles()")

    def text_spacing(self, frames: list[WidgetFrame]) -> None:
        self._each(frames, "css => __cwAudit.addStyle(css)", TEXT_SPACING)
        try:
            self.page.wait_for_timeout(50)
            for wf, items in self._each(frames, "() => __cwAudit.clipped()"):
                for item in items:
                    detail = f"content {item['scroll']}, box {item['box']}"
                    finding = from_check(
                        "text-spacing", item, wf.url, detail=detail, condition="text-spacing"
                    )
                    self._add(finding, wf.frame)
        finally:
            self._each(frames, "() => __cwAudit.removeStyles()")

    def reflow(self, frames: list[WidgetFrame]) -> None:
        """At 320 CSS px: nothing wider than the screen, every target 24 px (or spaced)."""
        viewport = self.page.viewport_size
        self.page.set_viewport_size(PHONE)
        try:
            self.page.wait_for_timeout(150)  # frames take their new width, embed.js its height
            for wf, result in self._each(
                frames, "() => ({overflow: __cwAudit.overflow(), targets: __cwAudit.targets()})"
            ):
                for item in result["overflow"]["elements"]:
                    detail = f"{item['width']} px wide in a {item['viewport']} px viewport"
                    if item["scrolls"]:
                        detail = "scrolls sideways"
                    finding = from_check("reflow", item, wf.url, detail=detail, condition="320px")
                    self._add(finding, wf.frame)
                for item in result["targets"]:
                    finding = from_check(
                        "target-size", item, wf.url, detail=item["size"], condition="320px"
                    )
                    self._add(finding, wf.frame)
        finally:
            if viewport:
                self.page.set_viewport_size(viewport)


def _outline(style: dict) -> bool:
    """A focus outline a visitor can see: drawn, at least 2 px, not transparent."""
    transparent = style["outlineColor"] in ("transparent", "rgba(0, 0, 0, 0)")
    return (
        style["outlineStyle"] not in ("none", "hidden")
        and style["outlineWidth"] >= 2
        and not (transparent)
    )


def _inside(selector: str, root: str) -> bool:
    """True when our path `selector` is the element at `root` or inside it."""
    return selector == root or selector.startswith(root + " > ")


def _root_of(wf: WidgetFrame, selector: str) -> str:
    for widget in wf.widgets:
        if _inside(selector, widget["selector"]):
            return widget["selector"]
    return ""


def _same_line(a: dict, b: dict) -> bool:
    return abs(a["rect"]["y"] - b["rect"]["y"]) < 4 and a.get("line") == b.get("line")


def _visually_before(b: dict, a: dict, rtl: bool) -> bool:
    """True when focus moving from a to b goes back up or back along the line.

    Moving up is fine into the next column (to the right, or the left in a
    right-to-left widget); moving back along the same line never is.
    """
    if b["width"] == 0 or a["width"] == 0:
        return False
    same_line = abs(b["y"] - a["y"]) < 4
    if rtl:
        next_column = b["x"] + b["width"] <= a["x"] + 1
        behind = b["x"] >= a["x"] + a["width"] - 1
    else:
        next_column = b["x"] >= a["x"] + a["width"] - 1
        behind = b["x"] + b["width"] <= a["x"] + 1
    if same_line:
        return behind
    above = b["y"] + b["height"] <= a["y"] + 1
    return above and not next_column


__all__ = ["CHECKS", "PageAudit", "WidgetFrame", "criterion_url", "widget_frames"]
