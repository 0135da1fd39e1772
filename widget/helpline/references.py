"""Render {{contact:ID}} references and mark the foreign words that come with the lines.

Content never writes a phone number: it names a contact of helplines.yaml,
and this module turns the name into a link that dials exactly the digits it
shows. So an edit of the facts file changes every summary in every language.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from widget.helpline.facts import Contact

# ⟪id⟫ while Markdown runs: punctuation-bounded, like the {{…}} it replaces,
# so emphasis around a number opens and closes as the writer meant.
CONTACT_TOKEN = re.compile("\u27ea([a-z0-9-]+)\u27eb")
_TAG = re.compile(r"(<[^>]*>)")


def tokenize(markdown: str, pattern: re.Pattern[str]) -> str:
    """Replace {{contact:ID}} with a plain token that Markdown and the sanitizer leave alone."""
    return pattern.sub(lambda m: f"\u27ea{m.group(1)}\u27eb", markdown)


def contact_link(contact: Contact) -> Markup:
    """A tel:/sms: link showing the number as one unbreakable, left-to-right unit.

    dir="ltr" isolates it inside Arabic text (the UA stylesheet gives any
    element with dir unicode-bidi: isolate), and the cw-tel class keeps it
    on one line. The number is the whole visible name: no aria-label, so
    voice control ("click 988") and braille meet what is on screen.
    """
    return Markup('<a class="cw-link cw-tel" href="{}" dir="ltr">{}</a>').format(
        contact.href, contact.shown
    )


def expand(html: str, contacts: dict[str, Contact]) -> str:
    """Put each contact's link where its token is (ids were checked at load)."""
    return CONTACT_TOKEN.sub(lambda m: contact_link(contacts[m.group(1)]), html)


def foreign_words(contacts: dict[str, Contact], locale: str) -> dict[str, str]:
    """Words of a line that stay in their own language: AYUDA (es), HELP4U (en)."""
    words = {}
    for contact in contacts.values():
        if contact.body and contact.body_lang and contact.body_lang != locale:
            words[contact.body] = contact.body_lang
        if contact.mnemonic and locale != "en":
            # Keypad letters spell English words: 1-800-662-HELP, HELP4U.
            words[contact.mnemonic] = "en"
    return words


def mark_foreign_words(html: str, words: dict[str, str], *, rtl: bool = True) -> Markup:
    """Wrap each such word in text (never inside a tag) in a span with its lang,
    so a screen reader does not read AYUDA with a Chinese or Arabic voice.
    rtl=False leaves out dir="ltr", which changes nothing on a left-to-right
    page (the banner's size budget counts those bytes)."""
    if not words:
        return Markup(html)
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\w-])"
    )
    direction = ' dir="ltr"' if rtl else ""
    pieces = _TAG.split(html)
    for index in range(0, len(pieces), 2):  # even pieces are text between tags
        pieces[index] = pattern.sub(
            lambda m: f'<span lang="{words[m.group(1)]}"{direction}>{m.group(1)}</span>',
            pieces[index],
        )
    return Markup("".join(pieces))
