"""Every helpline number is read digit by digit, the way it is dialled, in every language.

The widgets show a number with a hair space between its digits and a
non-breaking hyphen between its groups (widget/phone.py). Orca
passes that text unchanged to speech-dispatcher (the Orca transcripts show
it), and the synthesizer reads it. Here espeak-ng, the synthesizer Orca uses
on Linux, turns each number of the facts file into phonemes in each of the
ten languages, and they must be the phonemes of the same digits said one by
one ("9 8 8"): not "nine hundred eighty-eight", and no "dash" between groups.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from widget.helpline.facts import load_services
from widget.locales import KNOWN_LOCALES
from widget.phone import digits, spaced_mnemonic, unspaced, written_number

# espeak-ng's voice for each locale. It has no Tagalog voice: Tagalog readers
# on Linux get English numbers, so the English voice stands in for tl.
VOICES = {
    "en": "en",
    "es": "es",
    "zh-Hans": "cmn",
    "zh-Hant": "yue",
    "vi": "vi",
    "tl": "en",
    "ko": "ko",
    "ar": "ar",
    "ru": "ru",
    "fr": "fr",
}
SHOWN = sorted(
    {
        contact.shown
        for service in load_services().values()
        for contact in service.contacts
        if contact.shown
    }
)

pytestmark = pytest.mark.skipif(
    not shutil.which("espeak-ng"),
    reason="espeak-ng is not installed (Debian package espeak-ng; scripts/setup --test)",
)


def phonemes(voice: str, texts: list[str]) -> list[str]:
    """espeak-ng's phonemes for each text, one text a line, in one run."""
    out = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice, "--stdin"],
        input="\n\n".join(texts) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()]


def test_every_locale_has_a_voice() -> None:
    assert set(VOICES) == set(KNOWN_LOCALES)
    assert len(SHOWN) >= 8, "988, 911, 838255, 435748 and the 1-800 lines"


@pytest.mark.parametrize("locale", sorted(VOICES))
def test_numbers_are_read_digit_by_digit(locale: str) -> None:
    voice = VOICES[locale]
    one_by_one = [" ".join(digits(shown)) for shown in SHOWN]
    expected = phonemes(voice, one_by_one)
    heard = phonemes(voice, SHOWN)
    assert len(expected) == len(heard) == len(SHOWN), (expected, heard)
    for shown, want, got in zip(SHOWN, expected, heard, strict=True):
        assert got == want, f"{locale}: {digits(shown)} is read {got!r}, not {want!r}"


KEYPAD = sorted(
    {
        contact.mnemonic_shown
        for service in load_services().values()
        for contact in service.contacts
        if contact.mnemonic
    }
)


def test_keypad_forms_are_read_as_dialled_digits_then_their_words() -> None:
    # Keypad forms carry lang="en" on every page, so the English voice reads
    # them: "(1-800-662-HELP)" as "one eight zero zero six six two help", as
    # people say it, not "one dash eight hundred dash six hundred sixty-two".
    assert len(KEYPAD) == 3, KEYPAD
    said = [
        " ".join(" ".join(group) if group.isdigit() else group for group in unspaced(k).split("-"))
        for k in KEYPAD
    ]
    expected = phonemes("en", [f"({words})" for words in said])
    heard = phonemes("en", [f"({shown})" for shown in KEYPAD])
    for shown, want, got in zip(KEYPAD, expected, heard, strict=True):
        assert got == want, f"{unspaced(shown)} is read {got!r}, not {want!r}"
    written = phonemes("en", ["(1-800-662-HELP)"])[0]
    assert written != expected[KEYPAD.index(spaced_mnemonic("1-800-662-HELP"))]


def test_the_numbers_as_written_would_not_be() -> None:
    # The check above can fail: written plainly, espeak-ng reads 988 as a
    # quantity, and reads the hyphens of 1-800-662-4357 aloud in English.
    plain = [written_number("988"), written_number("+18006624357")]
    one_by_one = ["9 8 8", "1 8 0 0 6 6 2 4 3 5 7"]
    for voice in ("en", "es", "ar"):
        assert phonemes(voice, plain)[0] != phonemes(voice, one_by_one)[0], voice
    assert phonemes("en", plain)[1] != phonemes("en", one_by_one)[1]
