"""Write a partner's checked theme as CSS custom properties scoped to its widgets."""

from __future__ import annotations

from widget.partners.registry import Partner


def theme_css(partner: Partner) -> str:
    """A small stylesheet: `.cw[data-partner="id"]` sets the theme's custom properties.

    The selector outranks the defaults of `.cw` in widgets.css whatever the
    order the two stylesheets load in. Every value was checked when the
    registry loaded (colours as hex, contrast, a plain font stack, a length).
    """
    assert partner.theme is not None
    lines = [
        f"/* Care Widgets theme of partner {partner.id}, from the partner registry;",
        " * every colour pair meets WCAG 2.2 AA contrast (checked at start-up). */",
        f'.cw[data-partner="{partner.id}"] {{',
    ]
    lines += [f"  {name}: {value};" for name, value in partner.theme.css_declarations()]
    lines.append("}")
    return "\n".join(lines) + "\n"
