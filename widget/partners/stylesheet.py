"""Write a partner's checked theme as CSS custom properties scoped to its widgets."""

from __future__ import annotations

from widget.partners.registry import Partner

# The widget root as widgets.css writes it (an id's weight, see the stylesheet's
# header), narrowed to one partner: it outranks the stylesheet's own palette.
_ROOT = '.cw:not(#_)[data-partner="{id}"]'


def _block(selector: str, declarations: list[tuple[str, str]], indent: str = "") -> list[str]:
    lines = [f"{indent}{selector} {{"]
    lines += [f"{indent}  {name}: {value};" for name, value in declarations]
    lines.append(f"{indent}}}")
    return lines


def theme_css(partner: Partner) -> str:
    """A small stylesheet: the theme's custom properties on the partner's widget roots.

    Both palettes are written whole, so the theme wins over the stylesheet's
    own in either colour scheme: the light one always (or the dark one, for
    `color_scheme: dark`), and for `auto` the dark one again under
    prefers-color-scheme: dark. Every value was checked when the registry
    loaded (colours as hex, contrast of both palettes, a plain font stack, a
    length).
    """
    theme = partner.theme
    assert theme is not None
    root = _ROOT.format(id=partner.id)
    lines = [
        f"/* Care Widgets theme of partner {partner.id}, from the partner registry;",
        " * both palettes meet WCAG 2.2 AA contrast (checked at start-up). */",
    ]
    first = "dark" if theme.color_scheme == "dark" else "light"
    declarations = theme.css_declarations(first)
    declarations.append(("color-scheme", first))
    if theme.font == "inherit":
        # The partner's own font: the root takes it from the page.
        declarations.append(("font-family", "inherit"))
    lines += _block(root, declarations)
    if theme.color_scheme == "auto":
        dark = theme.css_declarations("dark")[: len(theme.palette("dark"))]
        lines.append("@media (prefers-color-scheme: dark) {")
        lines += _block(root, [*dark, ("color-scheme", "dark")], "  ")
        lines.append("}")
    return "\n".join(lines) + "\n"
