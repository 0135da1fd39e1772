"""The partner registry is checked at start-up: bad origins, colours or contrast stop it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.partners import example_registry, partner_app, write_registry
from widget.partners.contrast import contrast_ratio, nearest_passing, parse_colour, to_hex
from widget.partners.registry import RegistryError, load_registry, normalise_origin, parse_registry
from widget.phone import spaced


def riverside(data: dict) -> dict:
    return next(p for p in data["partners"] if p["id"] == "riverside-clinic")


def test_the_example_registry_loads(tmp_path: Path) -> None:
    registry = load_registry(write_registry(tmp_path, example_registry()))
    assert sorted(registry.partners) == ["clinica-del-valle", "riverside-clinic"]
    partner = registry.get("riverside-clinic")
    assert partner.origins == ("https://www.riverside-clinic.example",)
    assert partner.helplines[0].contacts[0].href == "tel:+12025550142"
    assert partner.helplines[0].contacts[0].shown == spaced("1-202-555-0142")
    assert registry.get("clinica-del-valle").default_locale == "es"


def test_no_registry_file_means_no_partners() -> None:
    assert load_registry(None).partners == {}


@pytest.mark.parametrize(
    ("origin", "problem"),
    [
        ("https://clinic.example/path", "no path"),
        ("http://clinic.example", "must use https"),
        ("https://*.clinic.example", "wildcards"),
        ("ftp://clinic.example", "not an origin"),
        ("clinic.example", "not an origin"),
        ("https://clinic.example:99999", "bad port"),
        ("https://user@clinic.example", "no path, query or user"),
        (" https://clinic.example", "not an origin"),
    ],
)
def test_a_bad_origin_is_refused_by_name(tmp_path: Path, origin: str, problem: str) -> None:
    data = example_registry()
    riverside(data)["origins"] = [origin]
    with pytest.raises(RegistryError) as caught:
        parse_registry(data, "partners.yaml")
    message = str(caught.value)
    assert "partners.yaml: partner 'riverside-clinic': field 'origins.0'" in message
    assert problem in message


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("https://Clinic.Example", "https://clinic.example"),
        ("https://clinic.example:443", "https://clinic.example"),
        ("https://clinic.example:8443", "https://clinic.example:8443"),
        ("http://localhost:8001", "http://localhost:8001"),
        ("http://127.0.0.1:8001/", "http://127.0.0.1:8001"),
    ],
)
def test_origins_are_compared_in_one_form(given: str, normal: str) -> None:
    assert normalise_origin(given) == normal


@pytest.mark.parametrize("colour", ["#12", "green", "#gggggg", "rgb(0,0,0)", "#1234567"])
def test_a_bad_colour_is_refused_by_name(colour: str) -> None:
    data = example_registry()
    riverside(data)["theme"]["brand"] = colour
    with pytest.raises(RegistryError, match=r"field 'theme': 'brand': .* is not a colour"):
        parse_registry(data)


def test_failing_contrast_is_refused_naming_the_pair_and_its_ratio() -> None:
    data = example_registry()
    riverside(data)["theme"]["brand"] = "#6fa8dc"  # a light blue, 2.5:1 on white
    with pytest.raises(RegistryError) as caught:
        parse_registry(data)
    message = str(caught.value)
    assert "brand #6fa8dc on background #ffffff (links and outlined buttons)" in message
    assert "has contrast 2.5" in message and "needs 4.5:1" in message


def test_a_focus_colour_needs_three_to_one() -> None:
    data = example_registry()
    riverside(data)["theme"]["focus"] = "#b0b0b0"
    with pytest.raises(RegistryError, match=r"focus #b0b0b0 on background #ffffff .* needs 3:1"):
        parse_registry(data)


def test_a_dark_background_needs_light_text_too() -> None:
    data = example_registry()
    riverside(data)["theme"] = {"background": "#1b1b1b"}
    with pytest.raises(RegistryError, match=r"text #1b1b1b on background #1b1b1b"):
        parse_registry(data)


def test_opted_in_theme_moves_to_the_nearest_passing_shade_with_a_warning(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    data = example_registry()
    riverside(data)["theme"] = {"brand": "#6fa8dc", "adjust_contrast": True}
    with caplog.at_level(logging.WARNING, logger="widget.partners.registry"):
        registry = load_registry(write_registry(tmp_path, data))
    theme = registry.get("riverside-clinic").theme
    moved = theme.colours["brand"]
    assert moved != "#6fa8dc"
    assert contrast_ratio(parse_colour(moved), (255, 255, 255)) >= 4.5
    assert any("moved brand to " + moved in record.getMessage() for record in caplog.records)
    assert any("riverside-clinic" in warning for warning in registry.warnings)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("font", "Arial; } body { display: none", "font stack"),
        ("font", "url(https://fonts.example/x.woff)", "font stack"),
        ("radius", "10vw", "length"),
        ("radius", "expression(alert(1))", "length"),
    ],
)
def test_theme_values_that_could_break_out_of_css_are_refused(
    field: str, value: str, problem: str
) -> None:
    data = example_registry()
    riverside(data)["theme"][field] = value
    with pytest.raises(RegistryError, match=problem):
        parse_registry(data)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"default_locale": "de"}, "field 'default_locale': 'de' is not one of"),
        ({"widgets": ["helpline-banner", "weather"]}, "field 'partners.0.widgets.1'"),
        ({"origins": []}, "field 'partners.0.origins'"),
        ({"colour": "#000000"}, "Additional properties are not allowed"),
    ],
)
def test_other_mistakes_are_named(change: dict, problem: str) -> None:
    data = example_registry()
    riverside(data).update(change)
    with pytest.raises(RegistryError, match=problem):
        parse_registry(data)


def test_a_bad_number_or_web_address_is_named() -> None:
    data = example_registry()
    riverside(data)["helplines"][0]["contacts"] = [{"action": "call", "number": "555-0142"}]
    with pytest.raises(RegistryError, match=r"field 'helplines.0': contacts.0: not an E.164"):
        parse_registry(data)
    riverside(data)["helplines"][0]["contacts"] = [{"action": "web", "url": "http://x.example"}]
    with pytest.raises(RegistryError, match=r"contacts.0: a web contact needs an https 'url'"):
        parse_registry(data)


def test_partner_text_in_an_unknown_language_is_named() -> None:
    data = example_registry()
    riverside(data)["helplines"][0]["name"]["de"] = "Aufnahme"
    with pytest.raises(RegistryError, match="unknown locale tag"):
        parse_registry(data)


def test_a_partner_listed_twice_is_refused() -> None:
    data = example_registry()
    data["partners"].append(dict(riverside(data)))
    with pytest.raises(RegistryError, match="listed twice"):
        parse_registry(data)


def test_the_service_does_not_start_with_a_bad_registry(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    data = example_registry()
    riverside(data)["origins"] = ["http://clinic.example"]
    with pytest.raises(RegistryError, match="must use https"):
        partner_app(make_app, tmp_path, data)
    with pytest.raises(RegistryError, match="missing"):
        make_app(PARTNERS_FILE=str(tmp_path / "absent.yaml"))


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#767676", "#ffffff", 4.54)],
)
def test_contrast_ratios_match_wcag(first: str, second: str, ratio: float) -> None:
    assert contrast_ratio(parse_colour(first), parse_colour(second)) == pytest.approx(
        ratio, abs=0.01
    )


@pytest.mark.parametrize(
    ("colour", "against", "minimum"),
    [("#6fa8dc", "#ffffff", 4.5), ("#3a3a3a", "#1b1b1b", 4.5), ("#ff9900", "#ffffff", 3.0)],
)
def test_the_nearest_passing_shade_passes_and_one_step_less_does_not(
    colour: str, against: str, minimum: float
) -> None:
    start, background = parse_colour(colour), parse_colour(against)
    found = nearest_passing(start, background, minimum)
    assert contrast_ratio(found, background) >= minimum
    # It moved only as far as it had to: halfway back fails.
    halfway = tuple((a + b) // 2 for a, b in zip(start, found, strict=True))
    assert contrast_ratio(halfway, background) < minimum, to_hex(found)
