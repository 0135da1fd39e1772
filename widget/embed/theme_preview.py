"""The theme preview of the embed builder: a partner's colours checked, shown and written as YAML.

Nothing is stored and nothing restarts: the colours travel in the address,
the verdicts come from the same contrast check the registry runs at
start-up (widget.partners.theme), and the preview stylesheet is made from
the checked values only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import yaml
from flask_babel import format_decimal, gettext

from widget.partners.contrast import contrast_ratio, nearest_passing, parse_colour, to_hex
from widget.partners.theme import (
    _FONT_STACK,
    _RADIUS,
    CSS_NAMES,
    DEFAULT_COLOURS,
    PAIRS,
    THEMABLE_COLOURS,
    ThemeError,
    build_theme,
)


@dataclass
class ThemeForm:
    """What the partner typed, checked: colours as #rrggbb, font, radius, and errors per field."""

    colours: dict[str, str]
    font: str
    radius: str
    errors: dict[str, str]


def read_form(args: Mapping[str, str]) -> ThemeForm:
    """Each field of the form; a value that cannot be used is an error at its field."""
    form = ThemeForm({}, "", "", {})
    for name in THEMABLE_COLOURS:
        raw = args.get(name, "").strip()
        if not raw:
            continue
        try:
            form.colours[name] = to_hex(parse_colour(raw))
        except ValueError:
            form.errors[name] = gettext("Write a colour as #rgb or #rrggbb, for example #005ea2.")
    font, radius = args.get("font", "").strip(), args.get("radius", "").strip()
    if font and not _FONT_STACK.match(font):
        form.errors["font"] = gettext("Use font names, commas and quotes only.")
    else:
        form.font = font
    if radius and not _RADIUS.match(radius):
        form.errors["radius"] = gettext("Use a length such as 4px, 0.5rem or 0.")
    else:
        form.radius = radius
    return form


def _ratio(value: float) -> str:
    # Rounded down: 4.49 must never read as a pass.
    return format_decimal(math.floor(value * 10) / 10, format="0.0")


def verdicts(colours: dict[str, str]) -> list[tuple[bool, str]]:
    """Every colour pair the widgets draw: passes or not, and the sentence that says so."""
    palette = {**DEFAULT_COLOURS, **colours}
    lines = []
    for pair in PAIRS:
        fore, back = parse_colour(palette[pair.foreground]), parse_colour(palette[pair.background])
        ratio = contrast_ratio(fore, back)
        values = {
            "foreground": pair.foreground,
            "fg": palette[pair.foreground],
            "background": pair.background,
            "bg": palette[pair.background],
            "ratio": _ratio(ratio),
            "minimum": format_decimal(pair.minimum, format="0.0"),
        }
        if ratio >= pair.minimum:
            text = gettext(
                "%(foreground)s %(fg)s on %(background)s %(bg)s: %(ratio)s:1, "
                "needs %(minimum)s:1. Passes.",
                **values,
            )
        else:
            try:
                shade = to_hex(nearest_passing(fore, back, pair.minimum))
            except ValueError:
                shade = ""
            text = (
                gettext(
                    "%(foreground)s %(fg)s on %(background)s %(bg)s: %(ratio)s:1, needs "
                    "%(minimum)s:1. Nearest passing shade: %(shade)s.",
                    shade=shade,
                    **values,
                )
                if shade
                else gettext(
                    "%(foreground)s %(fg)s on %(background)s %(bg)s: %(ratio)s:1, needs "
                    "%(minimum)s:1. No shade of it passes: change the other colour.",
                    **values,
                )
            )
        lines.append((ratio >= pair.minimum, text))
    return lines


def registry_yaml(form: ThemeForm) -> tuple[str, bool]:
    """The `theme` entry to paste into the registry, failing colours moved to passing shades.

    Returns the YAML and whether any colour was moved; ("", False) when no
    shade can pass (the partner must change a colour first).
    """
    entry: dict[str, str] = dict(form.colours)
    if form.font:
        entry["font"] = form.font
    if form.radius:
        entry["radius"] = form.radius
    warnings: list[str] = []
    try:
        theme = build_theme(entry, adjust=True, warnings=warnings)
    except ThemeError:
        return "", False
    data = {**theme.colours}
    if theme.font:
        data["font"] = theme.font
    if theme.radius:
        data["radius"] = theme.radius
    text = yaml.safe_dump({"theme": data}, sort_keys=False, allow_unicode=True)
    return text, bool(warnings)


def preview_css(form: ThemeForm) -> str:
    """Custom properties on the preview's widgets, from checked values only."""
    declarations = [(CSS_NAMES[n], form.colours[n]) for n in THEMABLE_COLOURS if n in form.colours]
    if form.font:
        declarations.append(("--cw-font", form.font))
    if form.radius:
        declarations.append(("--cw-radius", form.radius))
    body = "".join(f"  {name}: {value};\n" for name, value in declarations)
    # Rooted like widgets.css (.cw:not(#_)) and one class heavier, so the
    # typed colours win over the default palettes, light and dark.
    return f".cw-theme-preview .cw:not(#_) {{\n{body}}}\n"
