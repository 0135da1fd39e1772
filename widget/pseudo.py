"""A pseudo-locale for QA (en-XA): every translated string accented, longer and bracketed.

Generated on the fly from the message ids, so it always matches messages.pot.
Text that shows up without brackets was not translated: it is hard-coded or
missing from the catalogue. Turn it on with WIDGET_PSEUDO_LOCALE=true and
visit any widget with ?lang=en-XA.
"""

from __future__ import annotations

import re

from babel.support import NullTranslations
from flask import g
from flask_babel import Domain, get_locale

from widget.locales import Locale

PSEUDO_TAG = "en-XA"
PSEUDO_LOCALE = Locale(PSEUDO_TAG, "en", "[Ƥşḗŭḓǿ Ḗƞɠŀīşħ]", "ltr")

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ",
)
_PLACEHOLDER = re.compile(r"(%\(\w+\)[sd]|%[sd]|\{\w+\})")


def pseudo(message: str) -> str:
    """'Call %(number)s' → '[Ƈȧŀŀ %(number)s ~~~~]': accented, 40% longer, bracketed."""
    parts = _PLACEHOLDER.split(message)
    accented = "".join(
        part if _PLACEHOLDER.fullmatch(part) else part.translate(_ACCENTS) for part in parts
    )
    padding = "~" * max(1, round(len(message) * 0.4))
    return f"[{accented} {padding}]"


class PseudoTranslations(NullTranslations):
    """Translations that turn every message into its pseudo form."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)

    ugettext = gettext
    ungettext = ngettext


class SwitchingDomain(Domain):
    """The normal catalogues, except for requests in the pseudo-locale."""

    _pseudo = PseudoTranslations()

    def get_translations(self):  # noqa: ANN201 (Flask-Babel's own signature)
        # Negotiate first (it sets g.locale_tag), then choose the catalogue.
        get_locale()
        if g and g.get("locale_tag") == PSEUDO_TAG:
            return self._pseudo
        return super().get_translations()
