"""The widgets' own colour palettes, light and dark, and every colour pair they draw.

static/widgets.css writes the same values (tests/test_dark_palette.py checks
they agree); widget/partners/theme.py checks them, and each partner's, at
start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

# The stylesheet's own values (static/widgets.css, the widget root): what an
# unset token means, in the light palette and in the dark one (used under
# prefers-color-scheme: dark, or always with color_scheme: dark).
DEFAULT_COLOURS: dict[str, str] = {
    "text": "#1b1b1b",
    "background": "#ffffff",
    "muted": "#454545",
    "brand": "#005ea2",
    "brand_text": "#ffffff",
    "border": "#71767a",
    "focus": "#1a1a1a",
    "focus_halo": "#ffbe2e",
    "crisis": "#b50909",
    "crisis_text": "#ffffff",
    "crisis_background": "#fff5f5",
    "note_background": "#f0f4f8",
    "success_background": "#ecf3ec",
    "warning_background": "#faf3d1",
}
DARK_COLOURS: dict[str, str] = {
    "text": "#eef0f2",
    "background": "#1a1d21",
    "muted": "#c3c7cc",
    "brand": "#8ec5f2",
    "brand_text": "#10161c",
    "border": "#8a9097",
    "focus": "#ffd166",
    "focus_halo": "#1a1d21",
    "crisis": "#ff9d9d",
    "crisis_text": "#1a1d21",
    "crisis_background": "#2e1a1c",
    "note_background": "#22303c",
    "success_background": "#173222",
    "warning_background": "#332a14",
}
PALETTES = {"light": DEFAULT_COLOURS, "dark": DARK_COLOURS}
COLOR_SCHEMES = ("auto", "light", "dark")
# Tokens a partner may set. The crisis colours stay ours: a crisis line must
# look the same everywhere.
THEMABLE_COLOURS = ("text", "background", "muted", "brand", "brand_text", "border", "focus")

TEXT = 4.5  # WCAG 1.4.3, normal-size text
NON_TEXT = 3.0  # WCAG 1.4.11, focus indicators and control borders


@dataclass(frozen=True)
class Pair:
    """Two colours the widgets put on top of each other, and the ratio they need."""

    foreground: str
    background: str
    minimum: float
    use: str


# Every place the stylesheet sets one token on another. The first colour is
# the one moved when a partner asks for automatic adjustment.
PAIRS = (
    Pair("text", "background", TEXT, "body text"),
    Pair("muted", "background", TEXT, "secondary text"),
    Pair("brand", "background", TEXT, "links and outlined buttons"),
    Pair("brand_text", "brand", TEXT, "text on filled buttons"),
    Pair("text", "crisis_background", TEXT, "text in the crisis box"),
    Pair("brand", "crisis_background", TEXT, "links and buttons in the crisis box"),
    Pair("crisis", "crisis_background", TEXT, "crisis-line buttons"),
    Pair("crisis_text", "crisis", TEXT, "text on filled crisis-line buttons"),
    Pair("crisis", "background", TEXT, "error messages"),
    Pair("text", "note_background", TEXT, "language notes"),
    Pair("text", "success_background", TEXT, "the thank-you message"),
    Pair("text", "warning_background", TEXT, "the privacy warning"),
    Pair("border", "background", NON_TEXT, "control borders"),
    Pair("focus", "background", NON_TEXT, "focus indicator"),
    Pair("focus", "crisis_background", NON_TEXT, "focus indicator in the crisis box"),
)
