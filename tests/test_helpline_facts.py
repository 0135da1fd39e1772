"""The helpline data file: numbers stored as facts, shown locally, checked at start-up."""

from __future__ import annotations

import re

import pytest

from widget.helpline.facts import HelplineDataError, load_services, parse_services
from widget.helpline.phone import dial_href, display_number


@pytest.mark.parametrize(
    ("number", "shown"),
    [("+18006624357", "1-800-662-4357"), ("+18004874889", "1-800-487-4889"), ("988", "988")],
)
def test_numbers_are_shown_in_the_us_format(number: str, shown: str) -> None:
    assert display_number(number) == shown


@pytest.mark.parametrize(
    ("action", "number", "body", "href"),
    [
        ("call", "+18006624357", None, "tel:+18006624357"),
        ("tty", "+18004874889", None, "tel:+18004874889"),
        ("text", "435748", None, "sms:435748"),
        ("text", "988", "AYUDA", "sms:988?body=AYUDA"),
        ("call", "911", None, "tel:911"),
    ],
)
def test_dial_links(action: str, number: str, body: str | None, href: str) -> None:
    assert dial_href(action, number, body) == href


@pytest.mark.parametrize("number", ["18006624357", "+4420794609", "1-800-662-4357", "98"])
def test_a_number_that_is_not_e164_or_a_short_code_is_refused(number: str) -> None:
    with pytest.raises(ValueError):
        display_number(number)


def test_facts_file_loads_with_the_design_numbers() -> None:
    services = load_services()
    assert services["samhsa"].contact("call").href == "tel:+18006624357"
    assert services["samhsa"].contact("tty").shown == "1-800-487-4889"
    assert services["samhsa"].contact("text").shown == "435748"
    assert services["lifeline-988"].contact("chat").href == "https://988lifeline.org/chat"
    assert services["emergency"].contact("call").shown == "911"


def good_entry(**overrides: object) -> dict:
    entry: dict = {
        "id": "line",
        "tier": "treatment",
        "name": "A line",
        "summary": "What it offers.",
        "contacts": [{"action": "call", "number": "+18005550100", "label": "Call %(number)s"}],
    }
    entry.update(overrides)
    return entry


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (good_entry(tier="other"), "service 'line': unknown tier 'other'"),
        (good_entry(name=""), "service 'line': 'name' must be a non-empty string"),
        (good_entry(contacts=[]), "service 'line': 'contacts' must not be empty"),
        (
            good_entry(contacts=[{"action": "call", "number": "555", "label": "Call"}]),
            "service 'line', contacts[0]: 'label' must contain %(number)s",
        ),
        (
            good_entry(
                contacts=[{"action": "call", "number": "+442079460958", "label": "%(number)s"}]
            ),
            "service 'line', contacts[0]: 'number'",
        ),
        (
            good_entry(contacts=[{"action": "web", "url": "http://x.example", "label": "Go"}]),
            "service 'line', contacts[0]: 'url' must be https",
        ),
        (
            good_entry(contacts=[{"action": "fax", "number": "988", "label": "%(number)s"}]),
            "service 'line', contacts[0]: unknown action 'fax'",
        ),
    ],
)
def test_a_malformed_entry_names_the_entry_and_the_field(entry: dict, message: str) -> None:
    with pytest.raises(HelplineDataError, match=re.escape(message)):
        parse_services({"services": [entry]})
