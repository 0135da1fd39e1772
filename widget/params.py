"""Read the query parameters every widget shares; a malformed one is a localized 400."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import LazyString, lazy_gettext
from werkzeug.exceptions import BadRequest

HEADING_LEVELS = range(2, 7)
DEFAULT_HEADING_LEVEL = 2


class InvalidParameter(BadRequest):
    """A query parameter the visitor's browser sent that the widget cannot use."""

    def __init__(self, name: str, message: LazyString) -> None:
        super().__init__(description=f"invalid parameter: {name}")
        self.parameter = name
        self.message = message


def heading_level(args: Mapping[str, str]) -> int:
    """The level of the widget's top heading (2–6), from `heading`."""
    raw = args.get("heading")
    if raw is None or raw == "":
        return DEFAULT_HEADING_LEVEL
    # Length first: int() of thousands of digits is refused (and slow).
    if len(raw) <= 2 and raw.isascii() and raw.isdigit() and int(raw) in HEADING_LEVELS:
        return int(raw)
    raise InvalidParameter(
        "heading",
        lazy_gettext("The heading level must be a whole number from 2 to 6."),
    )


def choice(args: Mapping[str, str], name: str, allowed: Iterable[str], default: str) -> str:
    """One value out of a fixed list, or a 400 naming the values that work."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    options = tuple(allowed)
    if raw in options:
        return raw
    raise InvalidParameter(
        name,
        lazy_gettext(
            "“%(name)s” must be one of: %(options)s.",
            name=name,
            options=", ".join(options),
        ),
    )


def boolean(args: Mapping[str, str], name: str, default: bool = False) -> bool:
    """A true/false switch; anything else is a 400 that says what works."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("true", "false"):
        return raw == "true"
    raise InvalidParameter(
        name,
        lazy_gettext("“%(name)s” must be true or false.", name=name),
    )


def sub_heading_level(level: int) -> int:
    """The level one below the widget's top heading, never deeper than 6."""
    return min(level + 1, 6)
