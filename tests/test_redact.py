"""Tests for redacting personal data from feedback comments."""

from __future__ import annotations

import dataclasses

import pytest

from widget.feedback.redact import Redaction, redact

# Comments without personal data: they must come back unchanged, count 0.
CLEAN_COMMENTS = [
    "This page helped me a lot, thank you!",
    "I'm 34 and have been sober for 2 years.",
    "I take 20 mg twice a day.",
    "I relapsed 3 times in 2024.",
    "About 50% of this was new to me.",
    "Called 988 at 10:30 and they really helped.",
    "Good to know 911 and the helpline are 24/7.",
    "Step 1 of 5 was confusing, see section 3.4",
    "The dose went from 0.5 to 1.5 mg in 2 weeks",
    "I walked 2 blocks down the road to the clinic",
    "Took 2 Advil and slept for 8 hours",
    "Born in 1989, clean since 2019-05-01",
    "Gracias, esta página me ayudó mucho.",
    "Tengo 34 años y llevo 2 años sin consumir.",
    "Tomo 20 mg dos veces al día.",
    "Llamé al 911 a las 10:30 y me atendieron.",
    "El 988 está disponible 24/7, ¡gracias!",
    "Recaí 3 veces en 2024, el 50% del tiempo.",
    "Vivo en la calle desde hace 3 años",
    "Fui 5 veces a la Plaza Mayor con mi hija",
    "La avenida principal tiene 2 clínicas",
    "Caminé por la calle de 5 metros",
    "I took 2 pills on the way home",
    "my zip is 90210 if that matters",
]

# Comments with personal data: (comment, expected redacted text, expected count).
PERSONAL_DATA_CASES = [
    # email
    ("Write me at jane.doe@example.com please", "Write me at [email] please", 1),
    ("mail: a.b+help@mail.co.uk!", "mail: [email]!", 1),
    ("Escríbanme a maria_lopez@correo.es gracias", "Escríbanme a [email] gracias", 1),
    ("Mi correo es juan5551234567@gmail.com", "Mi correo es [email]", 1),
    # US phones
    ("Call me (555) 123-4567 tonight", "Call me [phone] tonight", 1),
    ("my number 555-123-4567", "my number [phone]", 1),
    ("text 555.123.4567 ok", "text [phone] ok", 1),
    ("5551234567 is my cell", "[phone] is my cell", 1),
    ("reach me +1 555 123 4567", "reach me [phone]", 1),
    ("I called 1-800-662-4357 last night", "I called [phone] last night", 1),
    ("Llámame al (555) 123-4567 por favor", "Llámame al [phone] por favor", 1),
    # international phones
    ("UK: +44 20 7946 0958", "UK: [phone]", 1),
    ("Mi número es +52 55 1234 5678", "Mi número es [phone]", 1),
    ("Mi móvil +34 612 34 56 78, gracias", "Mi móvil [phone], gracias", 1),
    ("from abroad 0044 20 7946 0958", "from abroad [phone]", 1),
    ("Llámame al +34 612 345 678", "Llámame al [phone]", 1),
    # SSN
    ("my SSN is 123-45-6789", "my SSN is [ssn]", 1),
    ("ssn 123 45 6789 sorry", "ssn [ssn] sorry", 1),
    ("Mi seguro social es 987-65-4321", "Mi seguro social es [ssn]", 1),
    # cards (Luhn-valid)
    ("card 4111 1111 1111 1111 was charged", "card [card] was charged", 1),
    ("card 5555-5555-5555-4444", "card [card]", 1),
    ("Amex 3782 822463 10005", "Amex [card]", 1),
    ("Mi tarjeta 6011111111111117 fue cobrada", "Mi tarjeta [card] fue cobrada", 1),
    ("13 digits 4222222222222", "13 digits [card]", 1),
    ("19 digits 4000 0000 0000 0000 006", "19 digits [card]", 1),
    # English addresses
    ("I live at 123 Main St, help", "I live at [address], help", 1),
    ("Come to 4500 N. Oak Avenue Apt 5 now", "Come to [address] now", 1),
    ("Home is 742 Evergreen Terrace.", "Home is [address].", 1),
    ("Try 350 5th Ave Suite 200", "Try [address]", 1),
    ("I'm at 12 Elm Rd.", "I'm at [address].", 1),
    ("send to PO Box 4471", "send to [address]", 1),
    # Spanish addresses
    ("Vivo en Calle 5 #123, Bogotá", "Vivo en [address], Bogotá", 1),
    ("Estoy en Av. Juárez 45", "Estoy en [address]", 1),
    ("Mi casa: Avenida Reforma 222 piso 3", "Mi casa: [address]", 1),
    ("Vivo en Calle de Alcalá 20, Madrid", "Vivo en [address], Madrid", 1),
    ("vivo en calle Mayor 7", "vivo en [address]", 1),
    ("Dirección: C/ Gran Vía 12", "Dirección: [address]", 1),
    ("Estoy en Carrera 7 # 45-10", "Estoy en [address]", 1),
    # several items
    (
        "jane@example.com or 555-123-4567",
        "[email] or [phone]",
        2,
    ),
    (
        "Soy Ana, ana@correo.mx, +52 55 1234 5678, Av. Juárez 45",
        "Soy Ana, [email], [phone], [address]",
        3,
    ),
    ("call 555-123-4567 or 555-987-6543", "call [phone] or [phone]", 2),
    # typed as people type on phones: lowercase, no separators
    ("ssn 123456789", "ssn [ssn]", 1),
    ("i live at 123 main street", "i live at [address]", 1),
    ("42 oak ave apt 5 is my place", "[address] is my place", 1),
    ("vivo en calle reforma 222", "vivo en [address]", 1),
    ("call me 555-1234", "call me [phone]", 1),
]


# The full table: clean comments must come back unchanged with count 0.
CASES = [(comment, comment, 0) for comment in CLEAN_COMMENTS] + PERSONAL_DATA_CASES


@pytest.mark.parametrize(("comment", "expected_text", "expected_count"), CASES)
def test_personal_data_is_replaced_and_other_words_are_kept(
    comment: str, expected_text: str, expected_count: int
) -> None:
    result = redact(comment)
    assert result.text == expected_text
    assert result.count == expected_count


def test_table_covers_enough_cases() -> None:
    assert len(CASES) >= 50
    assert len(CLEAN_COMMENTS) >= 15


@pytest.mark.parametrize(
    "digits",
    [
        "4111 1111 1111 1112",
        "5555-5555-5555-4445",
        "1234567890123456",
        "378282246310006",
        "4000 0000 0000 0000 000",
    ],
)
def test_luhn_invalid_digit_run_is_not_a_card(digits: str) -> None:
    comment = f"ref {digits} ok"
    assert redact(comment) == Redaction(text=comment, count=0)


def test_card_followed_by_a_small_number_keeps_the_number() -> None:
    result = redact("charged 4111 1111 1111 1111 2 times")
    assert result == Redaction(text="charged [card] 2 times", count=1)


def test_phone_followed_by_a_count_keeps_the_count() -> None:
    result = redact("call 555-123-4567 3 times, +34 612 34 56 78 2 veces")
    assert result == Redaction(text="call [phone] 3 times, [phone] 2 veces", count=2)


def test_card_group_looking_like_00_prefix_is_redacted_as_one_card() -> None:
    result = redact("card 6011 0012 3456 7891 ok")
    assert result == Redaction(text="card [card] ok", count=1)


def test_two_cards_in_one_run_are_counted_separately() -> None:
    result = redact("4111 1111 1111 1111 5555 5555 5555 4444")
    assert result == Redaction(text="[card] [card]", count=2)


def test_different_items_in_one_comment_are_counted_separately() -> None:
    comment = "a@b.io 555-123-4567 123-45-6789 4111111111111111 12 Elm Rd"
    result = redact(comment)
    assert result.text == "[email] [phone] [ssn] [card] [address]"
    assert result.count == 5


def test_each_replaced_span_counts_once() -> None:
    result = redact("+1 (555) 123-4567")
    assert result == Redaction(text="[phone]", count=1)


def test_empty_string_is_returned_unchanged() -> None:
    assert redact("") == Redaction(text="", count=0)


def test_hundred_character_comment_is_redacted_keeping_other_words() -> None:
    comment = (
        "Thanks for this page. If anyone can help, my phone is 555-123-4567"
        " and mail x@y.org, 10:30 works ok."
    ).ljust(100, "!")
    assert len(comment) == 100
    result = redact(comment)
    assert result.count == 2
    expected = comment.replace("555-123-4567", "[phone]").replace("x@y.org", "[email]")
    assert result.text == expected


@pytest.mark.parametrize(
    "comment",
    [
        "Muchísimas gracias, la información es útil y clara. Ñandú, pingüino.",
        "Merci beaucoup, très utile! Ça m'a aidé 🙏💚",
        "😢 I feel alone but this helped 💪 2 times",
        "شكرا جزيلا، هذه الصفحة مفيدة جدا",
        "谢谢你，这个页面很有帮助。我今年34岁。",
        "Danke für die Hilfe – wirklich großartig ✨",
    ],
)
def test_unicode_text_is_unchanged(comment: str) -> None:
    assert redact(comment) == Redaction(text=comment, count=0)


def test_unicode_around_personal_data_is_kept() -> None:
    result = redact("¡Ayuda! 😢 llámame al 555-123-4567 🙏")
    assert result == Redaction(text="¡Ayuda! 😢 llámame al [phone] 🙏", count=1)


def test_redaction_is_immutable() -> None:
    result = redact("hi")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "changed"  # type: ignore[misc]
