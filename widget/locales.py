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

# Languages offered, by the first subtag of a tag (lowercase). Filipino is
# the standard form of Tagalog. Chinese is decided by the second subtag too
# (see _CHINESE): the edge (deploy/nginx/care-widgets.conf) reproduces
# exactly these rules, so change both together.
_BY_LANGUAGE: dict[str, str] = {
    "en": "en",
    "es": "es",
    "vi": "vi",
    "ko": "ko",
    "ar": "ar",
    "ru": "ru",
    "fr": "fr",
    "tl": "tl",
    "fil": "tl",
}
# Chinese: a script subtag, or a region that implies one (mainland,
# Singapore and Malaysia write Simplified; Taiwan, Hong Kong and Macau
# Traditional), right after the language; otherwise Mandarin ("zh", "cmn")
# most often means Simplified and Cantonese ("yue") Traditional.
_CHINESE_LANGUAGES = {"zh": "zh-Hans", "cmn": "zh-Hans", "yue": "zh-Hant"}
_CHINESE: dict[str, str] = {
    **dict.fromkeys(("hans", "cn", "sg", "my"), "zh-Hans"),
    **dict.fromkeys(("hant", "tw", "hk", "mo"), "zh-Hant"),
}

_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*", re.ASCII)


def locale_of_tag(tag: str) -> str | None:
    """The known locale a well-formed tag asks for (es-MX → es, zh-TW → zh-Hant), or None."""
    subtags = tag.replace("_", "-").lower().split("-")
    language = subtags[0]
    if language in _CHINESE_LANGUAGES:
        script = _CHINESE.get(subtags[1]) if len(subtags) > 1 else None
        return script or _CHINESE_LANGUAGES[language]
    return _BY_LANGUAGE.get(language)


def match_locale(tag: str | None) -> str | None:
    """Return the known locale a BCP 47 tag asks for, or None when none fits."""
    if not tag or len(tag) > 64:
        return None
    tag = tag.strip()
    if not _TAG.fullmatch(tag):
        return None
    return locale_of_tag(tag)
