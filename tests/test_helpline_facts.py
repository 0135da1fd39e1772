"""The helpline data file: numbers stored as facts, shown locally, checked at start-up."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from widget.helpline.facts import HelplineDataError, load_contacts, load_services, parse_services
from widget.phone import (
    dial_href,
    display_number,
    keypad_digits,
    spaced,
    spaced_mnemonic,
    unspaced,
    written_number,
)

# A hair space between the digits of a group (read one by one), a
# non-breaking hyphen between groups (drawn as a hyphen, not read as "dash").
HS, NBH = "\u200a", "\u2011"


@pytest.mark.parametrize(
    ("number", "written", "shown"),
    [
        (
            "+18006624357",
            "1-800-662-4357",
            f"1{NBH}8{HS}0{HS}0{NBH}6{HS}6{HS}2{NBH}4{HS}3{HS}5{HS}7",
        ),
        (
            "+18004874889",
            "1-800-487-4889",
            f"1{NBH}8{HS}0{HS}0{NBH}4{HS}8{HS}7{NBH}4{HS}8{HS}8{HS}9",
        ),
        ("988", "988", f"9{HS}8{HS}8"),
        ("838255", "838255", f"8{HS}3{HS}8{HS}2{HS}5{HS}5"),
    ],
)
def test_numbers_are_shown_in_the_us_format_spaced_to_be_read_digit_by_digit(
    number: str, written: str, shown: str
) -> None:
    assert written_number(number) == written
    assert display_number(number) == shown == spaced(written)
    # Without the reading aids it is the number as written, and its digits are the number's.
    assert shown.replace(HS, "").replace(NBH, "-") == written
    assert re.sub(r"\D", "", shown) == number.lstrip("+")


def test_spaced_refuses_what_is_not_a_written_number() -> None:
    with pytest.raises(ValueError):
        spaced("1-800-662-HELP")


@pytest.mark.parametrize(
    ("mnemonic", "dialled", "shown"),
    [
        ("1-800-662-HELP", "18006624357", f"1{NBH}8{HS}0{HS}0{NBH}6{HS}6{HS}2{NBH}HELP"),
        ("1-800-QUIT-NOW", "18007848669", f"1{NBH}8{HS}0{HS}0{NBH}QUIT{NBH}NOW"),
        ("HELP4U", "435748", "HELP4U"),
    ],
)
def test_keypad_forms_dial_their_number_and_are_spaced_in_their_digits_only(
    mnemonic: str, dialled: str, shown: str
) -> None:
    assert keypad_digits(mnemonic) == dialled
    assert spaced_mnemonic(mnemonic) == shown
    assert unspaced(shown) == mnemonic


def test_every_keypad_form_of_the_facts_file_dials_its_own_number() -> None:
    keypad = [c for c in load_contacts().values() if c.mnemonic]
    assert {c.mnemonic for c in keypad} == {"1-800-662-HELP", "HELP4U", "1-800-QUIT-NOW"}
    for contact in keypad:
        assert keypad_digits(contact.mnemonic) == re.sub(r"\D", "", contact.href)
        assert contact.mnemonic_shown == spaced_mnemonic(contact.mnemonic)


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
    assert services["samhsa"].contact("tty").shown == spaced("1-800-487-4889")
    assert services["samhsa"].contact("text").shown == spaced("435748")
    assert services["lifeline-988"].contact("chat").href == "https://988lifeline.org/chat"
    assert services["emergency"].contact("call").shown == spaced("911")
    assert services["poison-help"].contact("call").href == "tel:+18002221222"


# The contact ids content files refer to (CONTENT-SPEC, "Contact references").
CONTACT_IDS = {
    "emergency-call": "tel:911",
    "988-call": "tel:988",
    "988-text": "sms:988",
    "988-text-spanish": "sms:988?body=AYUDA",
    "988-veterans-text": "sms:838255",
    "samhsa-call": "tel:+18006624357",
    "samhsa-tty": "tel:+18004874889",
    "samhsa-text": "sms:435748",
    "poison-help-call": "tel:+18002221222",
}


@pytest.mark.parametrize(("contact_id", "href"), CONTACT_IDS.items())
def test_every_contact_content_refers_to_has_its_id(contact_id: str, href: str) -> None:
    assert load_contacts()[contact_id].href == href


def test_every_fact_records_when_and_against_which_page_it_was_checked() -> None:
    for service in load_services().values():
        assert service.checked is not None, service.id
        assert service.checked.source.startswith("https://")
        for contact in service.contacts:
            assert contact.checked is not None, (service.id, contact.label)
            assert contact.checked.date <= dt.date.today()


def test_reference_lines_are_never_in_a_banner(client) -> None:
    # Poison Help is cited by summaries only; the banners list crisis and
    # treatment lines.
    assert load_services()["poison-help"].tier == "reference"
    for variant in ("full", "compact", "crisis"):
        html = client.get(f"/widgets/helpline-banner?variant={variant}").get_data(as_text=True)
        assert "tel:+18002221222" not in html
        assert "Poison Help" not in html


CHECKED = {"date": "2026-12-06", "source": "https://www.example.gov/line"}


def good_entry(**overrides: object) -> dict:
    entry: dict = {
        "id": "line",
        "tier": "treatment",
        "name": "A line",
        "summary": "What it offers.",
        "checked": CHECKED,
        "contacts": [
            {
                "id": "line-call",
                "action": "call",
                "number": "+18005550100",
                "label": "Call %(number)s",
                "checked": CHECKED,
            }
        ],
    }
    entry.update(overrides)
    return entry


def call(**overrides: object) -> dict:
    """A call contact with one field changed."""
    return {**good_entry()["contacts"][0], **overrides}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (good_entry(tier="other"), "service 'line': unknown tier 'other'"),
        (good_entry(name=""), "service 'line': 'name' must be a non-empty string"),
        (good_entry(contacts=[]), "service 'line': 'contacts' must not be empty"),
        (
            good_entry(contacts=[call(number="555", label="Call")]),
            "service 'line', contacts[0]: 'label' must contain %(number)s",
        ),
        (
            good_entry(contacts=[call(number="+442079460958")]),
            "service 'line', contacts[0]: 'number'",
        ),
        (
            good_entry(contacts=[{**call(action="web", url="http://x.example"), "label": "Go"}]),
            "service 'line', contacts[0]: 'url' must be https",
        ),
        (
            good_entry(contacts=[call(action="fax")]),
            "service 'line', contacts[0]: unknown action 'fax'",
        ),
        (
            good_entry(contacts=[{k: v for k, v in call().items() if k != "id"}]),
            "service 'line', contacts[0]: 'id' must be a non-empty string",
        ),
        (
            good_entry(contacts=[call(), call()]),
            "service 'line': contact id 'line-call' is repeated",
        ),
        (
            good_entry(contacts=[call(checked=None)]),
            "service 'line', contacts[0]: 'checked' must be a record {date, source}",
        ),
        (
            good_entry(contacts=[call(checked={"date": "6/12/2026", "source": CHECKED["source"]})]),
            "service 'line', contacts[0]: 'checked.date' must be a date",
        ),
        (
            good_entry(checked={"date": "2026-12-06", "source": "the website"}),
            "service 'line': 'checked.source' must be the https address",
        ),
        (
            good_entry(summary=""),
            "service 'line': 'summary' must be a non-empty string",
        ),
        (
            good_entry(notes=["For Spanish, call 18005550100 and press 2."]),
            "service 'line': 'notes' writes the number 18005550100 out: write %(number)s",
        ),
        (
            good_entry(summary="Call 1-800-555-0100 any time."),
            "service 'line': 'summary' writes the number 1-800-555-0100 out: write %(number)s",
        ),
        (
            good_entry(contacts=[call(number="+18006624357", mnemonic="1-800-662-HALP")]),
            "service 'line', contacts[0]: 'mnemonic': '1-800-662-HALP' dials 18006624257 "
            "on a keypad, not 18006624357",
        ),
        (
            good_entry(contacts=[call(number="+18006624357", mnemonic="1 800 662 HELP")]),
            "service 'line', contacts[0]: 'mnemonic': not a keypad form: '1 800 662 HELP'",
        ),
        (
            good_entry(
                summary="Text %(number)s.",
                contacts=[call(action="text", label="Text %(number)s")],
            ),
            "service 'line': 'summary' says %(number)s but the service has no call contact",
        ),
    ],
)
def test_a_malformed_entry_names_the_entry_and_the_field(entry: dict, message: str) -> None:
    with pytest.raises(HelplineDataError, match=re.escape(message)):
        parse_services({"services": [entry]})
