"""Light and dark palettes pass WCAG contrast, the stylesheet draws them, themes get dark tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.partners import example_registry, partner_app
from widget.partners.contrast import contrast_ratio, parse_colour
from widget.partners.theme import (
    CSS_NAMES,
    DARK_COLOURS,
    DEFAULT_COLOURS,
    PAIRS,
    ThemeError,
    build_theme,
    check_default_palettes,
)

STYLESHEET = (Path(__file__).resolve().parents[1] / "static" / "widgets.css").read_text()


def _block(css: str) -> dict[str, str]:
    return dict(re.findall(r"(--cw-[a-z-]+):\s*(#[0-9a-f]{6});", css))


def _stylesheet_palettes() -> tuple[dict[str, str], dict[str, str]]:
    light = STYLESHEET.split("@media (prefers-color-scheme: dark)")[0]
    dark = STYLESHEET.split("@media (prefers-color-scheme: dark)")[1].split("}")[0]
    return _block(light), _block(dark)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair.use)
def test_every_colour_pair_of_both_palettes_meets_its_ratio(scheme: str, pair) -> None:
    palette = DEFAULT_COLOURS if scheme == "light" else DARK_COLOURS
    ratio = contrast_ratio(
        parse_colour(palette[pair.foreground]), parse_colour(palette[pair.background])
    )
    assert ratio >= pair.minimum, f"{pair.use}: {ratio:.2f}:1"


def test_the_stylesheet_draws_exactly_the_checked_palettes() -> None:
    light, dark = _stylesheet_palettes()
    for name, css_name in CSS_NAMES.items():
        assert light[css_name] == DEFAULT_COLOURS[name], name
        assert dark[css_name] == DARK_COLOURS[name], name


def test_the_start_up_check_refuses_a_failing_dark_palette(monkeypatch: pytest.MonkeyPatch) -> None:
    check_default_palettes()
    monkeypatch.setitem(DARK_COLOURS, "muted", "#3a3a3a")
    with pytest.raises(
        ThemeError, match=r"dark muted #3a3a3a on background #1a1d21 .* needs 4.5:1"
    ):
        check_default_palettes()


def test_a_theme_gets_a_dark_brand_that_reads_on_dark() -> None:
    theme = build_theme({"brand": "#0b6e4f"}, adjust=False, warnings=[])
    dark_brand = theme.palette("dark")["brand"]
    assert dark_brand != "#0b6e4f"
    for ground in ("background", "crisis_background"):
        assert contrast_ratio(parse_colour(dark_brand), parse_colour(DARK_COLOURS[ground])) >= 4.5


def test_a_failing_dark_token_is_refused_with_the_pair_named() -> None:
    with pytest.raises(ThemeError, match=r"dark text #555555 on background"):
        build_theme({"dark": {"text": "#555555"}}, adjust=False, warnings=[])


def test_a_failing_dark_token_moves_when_the_partner_opted_in() -> None:
    warnings: list[str] = []
    theme = build_theme({"dark": {"text": "#555555"}}, adjust=True, warnings=warnings)
    text = theme.palette("dark")["text"]
    assert contrast_ratio(parse_colour(text), parse_colour(DARK_COLOURS["background"])) >= 4.5
    assert any("dark text #555555" in warning for warning in warnings)


def test_colour_scheme_must_be_light_dark_or_auto() -> None:
    assert build_theme({"color_scheme": "dark"}, adjust=False, warnings=[]).color_scheme == "dark"
    with pytest.raises(ThemeError, match="color_scheme"):
        build_theme({"color_scheme": "sepia"}, adjust=False, warnings=[])


def _theme_css(make_app, tmp_path, theme: dict) -> tuple[str, str]:
    data = example_registry()
    data["partners"][0]["theme"] = theme
    client = partner_app(make_app, tmp_path, data).test_client()
    partner = data["partners"][0]["id"]
    css = client.get(f"/partners/{partner}/theme.css").get_data(as_text=True)
    frame = client.get(f"/widgets/feedback-form?partner={partner}").get_data(as_text=True)
    return css, frame


def test_a_partner_fixed_to_dark_always_gets_the_dark_palette(make_app, tmp_path) -> None:
    css, frame = _theme_css(make_app, tmp_path, {"brand": "#0b6e4f", "color_scheme": "dark"})
    assert "@media" not in css
    assert f"--cw-background: {DARK_COLOURS['background']};" in css
    assert "color-scheme: dark;" in css
    assert '<meta name="color-scheme" content="dark">' in frame


def test_an_auto_partner_gets_both_palettes_and_may_take_the_page_font(make_app, tmp_path) -> None:
    theme = {"brand": "#0b6e4f", "dark": {"background": "#101820"}, "font": "inherit"}
    css, frame = _theme_css(make_app, tmp_path, theme)
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    assert "--cw-brand: #0b6e4f;" in light and "font-family: inherit;" in light
    assert "--cw-background: #101820;" in dark and "--cw-brand: #0b6e4f;" not in dark
    assert '<meta name="color-scheme" content="light dark">' in frame
