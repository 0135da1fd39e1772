"""WCAG contrast between two sRGB colours, and the nearest shade that reaches a ratio."""

from __future__ import annotations

import re

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

RGB = tuple[int, int, int]


def parse_colour(text: str) -> RGB:
    """#rgb or #rrggbb as three 0–255 channels; ValueError for anything else."""
    if not isinstance(text, str) or not _HEX.match(text):
        raise ValueError(f"{text!r} is not a colour written as #rgb or #rrggbb")
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def to_hex(rgb: RGB) -> str:
    """#rrggbb in lower case."""
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    """Relative luminance as WCAG 2.2 defines it (0 black … 1 white)."""
    red, green, blue = (_linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _mix(colour: RGB, target: RGB, amount: float) -> RGB:
    return tuple(round(c + (t - c) * amount) for c, t in zip(colour, target, strict=True))  # type: ignore[return-value]


def _least_mix(colour: RGB, target: RGB, against: RGB, minimum: float) -> tuple[float, RGB] | None:
    """The smallest move of `colour` toward `target` that reaches `minimum` against `against`."""
    if contrast_ratio(_mix(colour, target, 1.0), against) < minimum:
        return None
    low, high = 0.0, 1.0
    for _ in range(30):
        middle = (low + high) / 2
        if contrast_ratio(_mix(colour, target, middle), against) >= minimum:
            high = middle
        else:
            low = middle
    return high, _mix(colour, target, high)


def nearest_passing(colour: RGB, against: RGB, minimum: float) -> RGB:
    """The shade of `colour`, darker or lighter, closest to it that reaches `minimum`.

    Mixes toward black and toward white and keeps the smaller change, so a
    brand colour stays recognisably itself. Raises ValueError when neither
    direction can reach the ratio (possible only for mid-grey backgrounds).
    """
    if contrast_ratio(colour, against) >= minimum:
        return colour
    candidates = [
        found
        for target in ((0, 0, 0), (255, 255, 255))
        if (found := _least_mix(colour, target, against, minimum)) is not None
    ]
    if not candidates:
        raise ValueError(
            f"no shade of {to_hex(colour)} reaches {minimum}:1 against {to_hex(against)}"
        )
    return min(candidates)[1]
