"""What a visitor meets in the helpline banner, in each variant and language."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.helpers import HTMX, fragment_root, parse
from widget.phone import spaced, unspaced

VARIANTS = ["full", "compact", "crisis"]


def banner(client: FlaskClient, **query: str):
    response = client.get("/widgets/helpline-banner", query_string=query, headers=HTMX)
    assert response.status_code == 200
    return fragment_root(response.get_data(as_text=True))


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_dial_link_dials_exactly_the_digits_shown(
    client: FlaskClient, variant: str, lang: str
) -> None:
    root = banner(client, variant=variant, lang=lang)
    dial_links = root.select('a[href^="tel:"], a[href^="sms:"]')
    assert dial_links
    for link in dial_links:
        number = link.select_one(".cw-number")
        assert number is not None, f"{link} shows its number"
        href_digits = digits(link["href"].split(":", 1)[1].split("?", 1)[0])
        assert href_digits == digits(number.get_text())


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_link_has_its_visible_name_replaced(client: FlaskClient, variant: str) -> None:
    root = banner(client, variant=variant)
    for link in root.find_all("a"):
        assert not link.has_attr("aria-label")
        assert not link.has_attr("aria-labelledby")
        assert link.get_text(strip=True)


def test_full_banner_carries_every_national_line(client: FlaskClient) -> None:
    root = banner(client)
    hrefs = {a["href"] for a in root.find_all("a")}
    assert {
        "tel:+18006624357",
        "tel:+18004874889",
        "sms:435748",
        "https://findtreatment.gov",
        "tel:988",
        "sms:988",
        "https://988lifeline.org/chat",
        "sms:988?body=AYUDA",
        "sms:838255",
        "https://www.veteranscrisisline.net/get-help-now/chat/",
        "https://988lifeline.org",
        "tel:911",
    } <= hrefs
    text = root.get_text(" ", strip=True)
    # The keypad form is shown spaced in its digits, to be read as dialled.
    assert "1-800-662-HELP" in unspaced(text)
    assert "1-800-662-HELP" not in text
    assert "HELP4U" in text
    assert "Text service in English only." in text
    assert "In English and Spanish." in text
    assert "24 hours a day, 7 days a week, 365 days a year." in text
    # The number in a sentence is spaced like every other, read digit by digit.
    assert f"For Spanish, call {spaced('988')} and press 2." in text


def test_988_facts_say_what_each_way_of_contact_offers(client: FlaskClient) -> None:
    # Interpreters are on calls only; text and chat are English and Spanish
    # (SAMHSA 988 FAQ). Veterans, service members and their families reach the
    # Veterans Crisis Line by call, text or chat; deaf and hard of hearing
    # callers sign with a counselor through ASL Now.
    text = banner(client).get_text(" ", strip=True)
    assert (
        "Calls: interpreters in more than 240 languages. Text and chat: English and Spanish."
        in text
    )
    assert "Interpreters in more than 240 languages." not in text
    assert (
        f"Veterans, service members and their families: call {spaced('988')} and press 1." in text
    )
    assert f"Veterans: text {spaced('838255')}" in text
    assert "Veterans Crisis Line chat" in text
    assert "Deaf or hard of hearing: ASL Now at 988lifeline.org" in text


def test_spanish_banner_is_honest_about_the_english_only_text_line(client: FlaskClient) -> None:
    text = banner(client, lang="es").get_text(" ", strip=True)
    assert "El servicio de texto es solo en inglés." in text
    assert "En inglés y en español." in text
    assert "Llamadas: intérpretes en más de 240 idiomas." in text
    assert "Mensajes de texto y chat: en inglés y en español." in text


@pytest.mark.parametrize("lang", ["vi", "ar", "zh-Hans"])
def test_keypad_letters_and_ayuda_keep_their_language(client: FlaskClient, lang: str) -> None:
    # A Vietnamese or Arabic voice must not read HELP4U or AYUDA as its own words.
    root = banner(client, lang=lang)
    mnemonics = root.select(".cw-mnemonic")
    assert {unspaced(m.get_text()) for m in mnemonics} == {"(1-800-662-HELP)", "(HELP4U)"}
    assert all(m["lang"] == "en" for m in mnemonics)
    ayuda = root.select_one('a[href="sms:988?body=AYUDA"] [lang]')
    assert ayuda.get_text() == "AYUDA"
    assert ayuda["lang"] == "es"


def test_in_english_only_ayuda_is_marked_and_in_spanish_nothing(client: FlaskClient) -> None:
    english = banner(client)
    assert not english.select(".cw-mnemonic[lang]")
    assert english.select_one('a[href="sms:988?body=AYUDA"] [lang="es"]').get_text() == "AYUDA"
    spanish = banner(client, lang="es")
    assert not spanish.select('a[href="sms:988?body=AYUDA"] [lang]')
    assert all(m["lang"] == "en" for m in spanish.select(".cw-mnemonic"))


@pytest.mark.parametrize("variant", VARIANTS)
def test_banner_is_a_named_region_landmark(client: FlaskClient, variant: str) -> None:
    root = banner(client, variant=variant)
    assert root.name == "section"
    assert not root.has_attr("role"), "a named section is already a region; never an alert"
    label = root.find(id=root["aria-labelledby"])
    assert label is not None and label.get_text(strip=True)
    if variant == "compact":
        # No heading: a hidden name, which a second copy can rename (widgets.js).
        assert label.get_text(strip=True) == "Help lines"
        assert label.has_attr("hidden")


@pytest.mark.parametrize("level", [2, 3, 4, 5, 6])
def test_heading_parameter_sets_the_top_heading_and_the_level_below(
    client: FlaskClient, level: int
) -> None:
    root = banner(client, heading=str(level))
    headings = root.find_all(re.compile(r"^h[1-6]$"))
    assert headings[0].name == f"h{level}"
    assert {h.name for h in headings[1:]} == {f"h{min(level + 1, 6)}"}


def test_crisis_variant_says_urgent_to_screen_readers(client: FlaskClient) -> None:
    for lang, prefix in (("en", "Urgent:"), ("es", "Urgente:")):
        root = banner(client, variant="crisis", lang=lang)
        hidden = root.find("h2").select_one(".cw-visually-hidden")
        assert hidden.get_text(strip=True) == prefix
        # Kept apart from the heading's words for Orca, which drops an
        # ordinary space at the end of the hidden box ("Urgent:In a crisis").
        assert hidden.get_text() == prefix + "\xa0"
        assert {a["href"] for a in root.find_all("a")} >= {"tel:988", "sms:988", "tel:911"}


def test_compact_variant_is_one_short_line(client: FlaskClient) -> None:
    root = banner(client, variant="compact")
    paragraphs = root.find_all("p")
    assert len(paragraphs) == 1
    assert paragraphs[0].get_text(" ", strip=True) == (
        f"Free, confidential help with drugs or alcohol, 24/7: call {spaced('1-800-662-4357')} . "
        f"In a crisis, call {spaced('988')} ."
    )


def test_one_address_renders_the_same_ids_and_other_addresses_other_ids(
    client: FlaskClient,
) -> None:
    # The same answer every time, so it can be cached and revalidated; a
    # second copy on one page gets fresh ids from widgets.js (browser tests).
    def ids(**query: str) -> list[str]:
        return [tag["id"] for tag in banner(client, **query).find_all(id=True)]

    assert ids() and ids() == ids()
    assert not set(ids()) & set(ids(variant="crisis"))
    assert not set(ids()) & set(ids(lang="es"))


# English sentences that may legitimately read the same in Spanish.
SAME_IN_SPANISH = {"TTY: %(number)s", "Care Widgets"}


def test_spanish_banner_contains_no_english_sentence(client: FlaskClient) -> None:
    from babel.messages.pofile import read_po

    from widget.paths import translations_dir

    with (translations_dir() / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    for variant in VARIANTS:
        text = banner(client, variant=variant, lang="es").get_text(" ", strip=True)
        for message in template:
            if not message.id or message.id in SAME_IN_SPANISH:
                continue
            singular = message.id[0] if isinstance(message.id, tuple) else message.id
            english = re.split(r"%\(\w+\)[sd]", singular)[0].strip()
            if len(english) > 6:
                assert english not in text, f"untranslated in es/{variant}: {message.id!r}"


def test_full_document_page_holds_the_banner_once(client: FlaskClient) -> None:
    soup = parse(client.get("/widgets/helpline-banner?lang=es").get_data(as_text=True))
    assert len(soup.select('[data-widget="helpline-banner"]')) == 1
