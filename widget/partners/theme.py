"""A partner's colours, font and corners, checked for WCAG contrast before any page uses them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from widget.partners.contrast import RGB, contrast_ratio, nearest_passing, parse_colour, to_hex

# The stylesheet's own values (static/widgets.css, `.cw`): what an unset token means.
DEFAULT_COLOURS: dict[str, str] = {
    "text": "#1b1b1b",
    "background": "#ffffff",
    "muted": "#454545",
    "brand": "#005ea2",
    "brand_text": "#ffffff",
    "border": "#71767a",
    "focus": "#1a1a1a",
    "crisis": "#b50909",
    "crisis_background": "#fff5f5",
}
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
    Pair("border", "background", NON_TEXT, "control borders"),
    Pair("focus", "background", NON_TEXT, "focus indicator"),
    Pair("focus", "crisis_background", NON_TEXT, "focus indicator in the crisis box"),
)

_FONT_STACK = re.compile(r"""^[A-Za-z0-9 ,.'"_-]{1,200}$""")
_RADIUS = re.compile(r"^(0|\d{1,2}(\.\d{1,3})?(px|rem|em))$")
CSS_NAMES = {name: "--cw-" + name.replace("_", "-") for name in THEMABLE_COLOURS}


class ThemeError(ValueError):
    """A theme that cannot be used; the message names the token or colour pair."""


@dataclass(frozen=True)
class ContrastProblem:
    """A pair of theme colours below its ratio."""

    pair: Pair
    foreground: str
    background: str
    ratio: float

    def describe(self) -> str:
        return (
            f"{self.pair.foreground} {self.foreground} on {self.pair.background} "
            f"{self.background} ({self.pair.use}) has contrast {self.ratio:.2f}:1, "
            f"needs {self.pair.minimum:g}:1"
        )


@dataclass(frozen=True)
class Theme:
    """Colour tokens (only those the partner set), font stack and corner radius."""

    colours: dict[str, str] = field(default_factory=dict)
    font: str | None = None
    radius: str | None = None

    def palette(self) -> dict[str, str]:
        """Every colour the widgets use, the partner's over the defaults."""
        return {**DEFAULT_COLOURS, **self.colours}

    def css_declarations(self) -> list[tuple[str, str]]:
        """Custom properties this theme sets, in a stable order."""
        declarations = [
            (CSS_NAMES[n], self.colours[n]) for n in THEMABLE_COLOURS if n in self.colours
        ]
        if self.font:
            declarations.append(("--cw-font", self.font))
        if self.radius:
            declarations.append(("--cw-radius", self.radius))
        return declarations


def contrast_problems(palette: dict[str, str]) -> list[ContrastProblem]:
    """Every pair of the palette below its WCAG ratio."""
    problems = []
    for pair in PAIRS:
        ratio = contrast_ratio(
            parse_colour(palette[pair.foreground]), parse_colour(palette[pair.background])
        )
        if ratio < pair.minimum:
            problems.append(
                ContrastProblem(pair, palette[pair.foreground], palette[pair.background], ratio)
            )
    return problems


def _adjusted(palette: dict[str, str], warnings: list[str]) -> dict[str, str]:
    palette = dict(palette)
    # Moving one colour can upset a pair checked earlier (brand, then the text
    # on it): go round until nothing changes.
    for _ in range(len(PAIRS) + 1):
        problems = contrast_problems(palette)
        if not problems:
            return palette
        problem = problems[0]
        name = problem.pair.foreground
        if name not in THEMABLE_COLOURS:
            break
        against: RGB = parse_colour(palette[problem.pair.background])
        try:
            moved = to_hex(
                nearest_passing(parse_colour(palette[name]), against, problem.pair.minimum)
            )
        except ValueError as error:
            raise ThemeError(f"{problem.describe()}; {error}") from None
        warnings.append(f"{problem.describe()}: moved {name} to {moved}")
        palette[name] = moved
    problems = contrast_problems(palette)
    if problems:
        raise ThemeError("; ".join(p.describe() for p in problems))
    return palette


def build_theme(entry: dict, adjust: bool, warnings: list[str]) -> Theme:
    """A checked Theme from the registry's `theme` mapping.

    Refuses a failing contrast with a message naming each pair and its ratio,
    or, when the partner opted in (`adjust_contrast: true`), moves the failing
    colour to its nearest passing shade and adds a warning.
    """
    colours: dict[str, str] = {}
    for name in THEMABLE_COLOURS:
        if name in entry:
            try:
                colours[name] = to_hex(parse_colour(entry[name]))
            except ValueError as error:
                raise ThemeError(f"'{name}': {error}") from None
    font = entry.get("font")
    if font is not None and not (isinstance(font, str) and _FONT_STACK.match(font)):
        raise ThemeError("'font' must be a CSS font stack of names, commas and quotes only")
    radius = entry.get("radius")
    if radius is not None and not (isinstance(radius, str) and _RADIUS.match(radius)):
        raise ThemeError("'radius' must be a length such as 4px, 0.5rem or 0")
    palette = {**DEFAULT_COLOURS, **colours}
    if adjust:
        palette = _adjusted(palette, warnings)
        colours = {
            name: palette[name]
            for name in THEMABLE_COLOURS
            if palette[name] != DEFAULT_COLOURS[name] or name in colours
        }
    else:
        problems = contrast_problems(palette)
        if problems:
            raise ThemeError("; ".join(p.describe() for p in problems))
    return Theme(colours=colours, font=font, radius=radius)
