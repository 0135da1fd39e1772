"""A partner's colours, font and corners, checked for WCAG contrast before any page uses them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from widget.partners.contrast import RGB, contrast_ratio, nearest_passing, parse_colour, to_hex
from widget.partners.palettes import (
    COLOR_SCHEMES,
    DARK_COLOURS,
    DEFAULT_COLOURS,
    PAIRS,
    PALETTES,
    TEXT,
    THEMABLE_COLOURS,
    Pair,
)

_FONT_STACK = re.compile(r"""^[A-Za-z0-9 ,.'"_-]{1,200}$""")
_RADIUS = re.compile(r"^(0|\d{1,2}(\.\d{1,3})?(px|rem|em))$")
CSS_NAMES = {name: "--cw-" + name.replace("_", "-") for name in DEFAULT_COLOURS}


class ThemeError(ValueError):
    """A theme that cannot be used; the message names the token or colour pair."""


@dataclass(frozen=True)
class ContrastProblem:
    """A pair of theme colours below its ratio."""

    pair: Pair
    foreground: str
    background: str
    ratio: float

    scheme: str = "light"

    def describe(self) -> str:
        """The pair, its colours, ratio and the ratio it needs, in one line."""
        where = "dark " if self.scheme == "dark" else ""
        return (
            f"{where}{self.pair.foreground} {self.foreground} on {self.pair.background} "
            f"{self.background} ({self.pair.use}) has contrast {self.ratio:.2f}:1, "
            f"needs {self.pair.minimum:g}:1"
        )


@dataclass(frozen=True)
class Theme:
    """Colour tokens (only those the partner set, per scheme), font, corners and colour scheme.

    `font` "inherit" takes the partner page's own font.
    """

    colours: dict[str, str] = field(default_factory=dict)
    font: str | None = None
    radius: str | None = None
    dark: dict[str, str] = field(default_factory=dict)
    color_scheme: str = "auto"

    def palette(self, scheme: str = "light") -> dict[str, str]:
        """Every colour the widgets use in a scheme, the partner's over the defaults."""
        return {**PALETTES[scheme], **(self.dark if scheme == "dark" else self.colours)}

    def css_declarations(self, scheme: str = "light") -> list[tuple[str, str]]:
        """Every colour custom property of a scheme, then font and radius, in a stable order.

        The whole palette, not only the partner's tokens: the theme overrides
        the stylesheet's own palette whichever the visitor's colour scheme.
        """
        palette = self.palette(scheme)
        declarations = [(CSS_NAMES[n], palette[n]) for n in DEFAULT_COLOURS]
        if self.font and self.font != "inherit":
            declarations.append(("--cw-font", self.font))
        if self.radius:
            declarations.append(("--cw-radius", self.radius))
        return declarations


def contrast_problems(palette: dict[str, str], scheme: str = "light") -> list[ContrastProblem]:
    """Every pair of the palette below its WCAG ratio."""
    problems = []
    for pair in PAIRS:
        ratio = contrast_ratio(
            parse_colour(palette[pair.foreground]), parse_colour(palette[pair.background])
        )
        if ratio < pair.minimum:
            problems.append(
                ContrastProblem(
                    pair, palette[pair.foreground], palette[pair.background], ratio, scheme
                )
            )
    return problems


def _adjusted(palette: dict[str, str], warnings: list[str], scheme: str) -> dict[str, str]:
    palette = dict(palette)
    # Moving one colour can upset a pair checked earlier (brand, then the text
    # on it): go round until nothing changes.
    for _ in range(len(PAIRS) + 1):
        problems = contrast_problems(palette, scheme)
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
    problems = contrast_problems(palette, scheme)
    if problems:
        raise ThemeError("; ".join(p.describe() for p in problems))
    return palette


def _colours(entry: dict, prefix: str = "") -> dict[str, str]:
    colours: dict[str, str] = {}
    for name in THEMABLE_COLOURS:
        if name in entry:
            try:
                colours[name] = to_hex(parse_colour(entry[name]))
            except ValueError as error:
                raise ThemeError(f"'{prefix}{name}': {error}") from None
    return colours


def _checked(
    colours: dict[str, str], scheme: str, adjust: bool, warnings: list[str]
) -> dict[str, str]:
    """The partner's tokens of one scheme once their palette passes (or was adjusted to)."""
    defaults = PALETTES[scheme]
    palette = {**defaults, **colours}
    if adjust:
        palette = _adjusted(palette, warnings, scheme)
        return {
            name: palette[name]
            for name in THEMABLE_COLOURS
            if palette[name] != defaults[name] or name in colours
        }
    problems = contrast_problems(palette, scheme)
    if problems:
        raise ThemeError("; ".join(p.describe() for p in problems))
    return colours


def _dark_brand(light_brand: str) -> str:
    """A partner's brand colour lightened until it reads on the dark backgrounds it sits on."""
    brand = parse_colour(light_brand)
    for ground in ("background", "crisis_background"):
        brand = nearest_passing(brand, parse_colour(DARK_COLOURS[ground]), TEXT)
    return to_hex(brand)


def check_default_palettes() -> None:
    """Refuse to start when a pair of our own light or dark palette fails its ratio."""
    problems = [
        problem
        for scheme, palette in PALETTES.items()
        for problem in contrast_problems(palette, scheme)
    ]
    if problems:
        raise ThemeError("; ".join(p.describe() for p in problems))


def build_theme(entry: dict, adjust: bool, warnings: list[str]) -> Theme:
    """A checked Theme from the registry's `theme` mapping.

    Both palettes are checked: the light one (the partner's tokens over ours)
    and the dark one (the tokens under `dark:` over our dark palette; without
    them, the partner's brand colour lightened until it reads on dark).
    Refuses a failing contrast with a message naming each pair and its ratio,
    or, when the partner opted in (`adjust_contrast: true`), moves the failing
    colour to its nearest passing shade and adds a warning.
    """
    colours = _colours(entry)
    dark_entry = entry.get("dark") or {}
    if not isinstance(dark_entry, dict):
        raise ThemeError("'dark' must be a mapping of colour tokens")
    dark = _colours(dark_entry, "dark.")
    if "brand" in colours and "brand" not in dark:
        dark["brand"] = _dark_brand(colours["brand"])
    font = entry.get("font")
    if font is not None and not (isinstance(font, str) and _FONT_STACK.match(font)):
        raise ThemeError("'font' must be a CSS font stack of names, commas and quotes only")
    radius = entry.get("radius")
    if radius is not None and not (isinstance(radius, str) and _RADIUS.match(radius)):
        raise ThemeError("'radius' must be a length such as 4px, 0.5rem or 0")
    scheme = entry.get("color_scheme", "auto")
    if scheme not in COLOR_SCHEMES:
        raise ThemeError("'color_scheme' must be light, dark or auto")
    return Theme(
        colours=_checked(colours, "light", adjust, warnings),
        font=font,
        radius=radius,
        dark=_checked(dark, "dark", adjust, warnings),
        color_scheme=scheme,
    )
