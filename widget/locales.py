"""The locales the service knows, and how a BCP 47 tag maps onto one of them."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Locale:
    """A locale the widgets are offered in."""

    tag: str  # BCP 47, as sent in Content-Language and lang="…"
    babel_id: str  # the catalogue folder name and Babel's identifier
    native_name: str  # the language named in itself, for a language switcher
    direction: str  # "ltr" or "rtl"


# One explicit dict of known locales (as Warehouse keeps one).
# The ten languages most needed in US health settings. Tagalog's catalogue is
# Babel's "fil" (Filipino), the standardised form of Tagalog.
KNOWN_LOCALES: dict[str, Locale] = {
    "en": Locale("en", "en", "English", "ltr"),
    "es": Locale("es", "es", "Español", "ltr"),
    "zh-Hans": Locale("zh-Hans", "zh_Hans", "简体中文", "ltr"),
    "zh-Hant": Locale("zh-Hant", "zh_Hant", "繁體中文", "ltr"),
    "vi": Locale("vi", "vi", "Tiếng Việt", "ltr"),
    "tl": Locale("tl", "fil", "Tagalog", "ltr"),
    "ko": Locale("ko", "ko", "한국어", "ltr"),
    "ar": Locale("ar", "ar", "العربية", "rtl"),
    "ru": Locale("ru", "ru", "Русский", "ltr"),
    "fr": Locale("fr", "fr", "Français", "ltr"),
}

DEFAULT_LOCALE = "en"

# Tags that do not reduce to a known locale by dropping subtags (lowercase).
# Chinese regions imply a script: mainland and Singapore write Simplified,
# Taiwan, Hong Kong and Macau Traditional; bare "zh" most often means Simplified.
_ALIASES: dict[str, str] = {
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-my": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
    "cmn": "zh-Hans",
    "yue": "zh-Hant",
    "fil": "tl",
}

_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


def match_locale(tag: str | None) -> str | None:
    """Return the known locale a BCP 47 tag asks for, or None when none fits."""
    if not tag or len(tag) > 64 or not _TAG.match(tag.strip()):
        return None
    subtags = tag.strip().replace("_", "-").lower().split("-")
    by_lower = {key.lower(): key for key in KNOWN_LOCALES}
    # Try the whole tag, then drop subtags from the end: es-MX → es.
    for length in range(len(subtags), 0, -1):
        candidate = "-".join(subtags[:length])
        if candidate in _ALIASES:
            return _ALIASES[candidate]
        if candidate in by_lower:
            return by_lower[candidate]
    return None


def get_locale(tag: str) -> Locale:
    """Return the Locale for a known tag."""
    return KNOWN_LOCALES[tag]
