"""Turn a summary's Markdown into safe HTML with numbered, linked citations."""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from widget.helpline.facts import Contact
from widget.helpline.references import expand, foreign_words, mark_foreign_words, tokenize
from widget.locales import KNOWN_LOCALES
from widget.substances.content import CITATION, CONTACT, Source, Summary
from widget.substances.rules import TERM

# Paragraphs, lists and emphasis only: content has no headings, links or HTML.
_markdown = MarkdownIt("commonmark", {"html": False}).disable(
    [
        "heading",
        "lheading",
        "image",
        "link",
        "autolink",
        "html_block",
        "html_inline",
        "code",
        "fence",
        "blockquote",
        "hr",
        "reference",
        "table",
    ],
    ignoreInvalid=True,
)
# A citation stands in the Markdown as ⟦number·counter⟧ until it is rendered:
# the brackets are punctuation, like the [@id] they replace, so emphasis that
# ends right before a citation ("**What to do:**[@cdc]") still closes.
_CITE_TOKEN = re.compile("\u27e6(\\d+)\u00b7(\\d+)\u27e7")
# A marked term stands in the Markdown as U+E000 number U+E001 (private-use
# characters, which CommonMark treats like letters, as the term is a word).
_TERM_TOKEN = re.compile("\ue000(\\d+)\ue001")
_ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "sup", "a", "br"}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "id", "class", "aria-describedby", "target"},
    "sup": {"class", "dir"},
}


def term_html(kind: str, text: str, locale: str) -> Markup:
    """One marked term: another name of a substance, or a word in another language.

    A name, {{name:ketum}}, is the same element in every language: <bdi
    class="cw-name">, isolated from the text around it and never given a
    lang (it is a name, not an English word). A word, {{en:Narcan}}, carries
    its lang, and dir="ltr" where the page is right to left, so it is one
    isolated left-to-right run there.
    """
    if kind == "name":
        return Markup('<bdi class="cw-name">{}</bdi>').format(text)
    if locale in KNOWN_LOCALES and KNOWN_LOCALES[locale].direction == "rtl":
        return Markup('<span lang="{}" dir="ltr">{}</span>').format(kind, text)
    return Markup('<span lang="{}">{}</span>').format(kind, text)


def render_inline(text: str, locale: str) -> Markup:
    """A plain-text field (a name, the summary line) with its terms marked up."""
    pieces = TERM.split(text)
    html = [escape(pieces[0])]
    for index in range(1, len(pieces), 3):
        html.append(term_html(pieces[index], pieces[index + 1], locale))
        html.append(escape(pieces[index + 2]))
    return Markup("").join(html)


@dataclass(frozen=True)
class BackLink:
    """Where a source was cited, so a reader can return there."""

    target_id: str
    section_key: str


@dataclass(frozen=True)
class CitedSource:
    """A source in the numbered list, with links back to where it was cited."""

    number: int
    element_id: str
    source: Source
    back_links: tuple[BackLink, ...]
    lang: str  # language of the cited page's title


# Authoritative bodies publish Spanish pages under these paths.
_SPANISH_PATHS = ("/spanish/", "/es/")


def source_language(source: Source) -> str:
    """The language a cited page is written in: as the file says, else from its address."""
    if source.lang:
        return source.lang
    return "es" if any(part in source.url for part in _SPANISH_PATHS) else "en"


@dataclass(frozen=True)
class Article:
    """Rendered sections and the numbered sources of one summary."""

    sections: dict[str, Markup]
    sources: tuple[CitedSource, ...]
    sources_label_id: str
    emergency: Markup


def render_article(
    summary: Summary, uid: str, contacts: dict[str, Contact], locale: str
) -> Article:
    """Render the emergency text and every section; number sources by first
    citation; put the contact links in; prefix every id with uid."""
    numbers: dict[str, int] = {}
    back_links: dict[str, list[BackLink]] = {}
    sections: dict[str, Markup] = {}
    label_id = f"{uid}-sources-label"
    words = foreign_words(contacts, locale)
    # The emergency callout comes first on the page, so it is numbered first.
    bodies = {"emergency": summary.emergency, **summary.sections}
    for key, body in bodies.items():
        counter = 0
        terms: list[Markup] = []

        def term(match: re.Match[str], terms: list[Markup] = terms) -> str:
            terms.append(term_html(match.group(1), match.group(2), locale))
            return f"\ue000{len(terms) - 1}\ue001"

        def number(match: re.Match[str], key: str = key) -> str:
            nonlocal counter
            source_id = match.group(1)
            numbers.setdefault(source_id, len(numbers) + 1)
            counter += 1
            ref_id = f"{uid}-ref-{key}-{counter}"
            links = back_links.setdefault(source_id, [])
            if not any(link.section_key == key for link in links):
                links.append(BackLink(ref_id, key))
            return f"\u27e6{numbers[source_id]}\u00b7{counter}\u27e7"

        marked = CITATION.sub(number, tokenize(TERM.sub(term, body), CONTACT))
        html = _markdown.render(marked)
        html = _CITE_TOKEN.sub(
            lambda m, key=key: _reference(uid, key, int(m.group(1)), int(m.group(2)), label_id),
            html,
        )
        # Between two references the word joiner would only add an empty text node.
        html = html.replace("</sup>\u2060<sup", "</sup><sup")
        clean = nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            link_rel=None,
            url_schemes={"https"},
        )
        clean = _TERM_TOKEN.sub(lambda m, terms=terms: terms[int(m.group(1))], clean)
        sections[key] = mark_foreign_words(expand(clean, contacts), words)
    emergency = sections.pop("emergency")
    ordered = sorted(numbers.items(), key=lambda item: item[1])
    sources = tuple(
        CitedSource(
            number=n,
            element_id=f"{uid}-source-{n}",
            source=summary.sources[source_id],
            back_links=tuple(back_links[source_id]),
            lang=source_language(summary.sources[source_id]),
        )
        for source_id, n in ordered
    )
    return Article(sections, sources, label_id, emergency)


def _reference(uid: str, key: str, number: int, counter: int, label_id: str) -> str:
    # The link reads "[3]"; aria-describedby adds "Sources", so a screen
    # reader says what the number is without changing the visible name.
    # U+2060 WORD JOINER keeps the number on the line of the word it follows;
    # dir="ltr" isolates "[3]" so in Arabic it stays after the full stop.
    return (
        f'\u2060<sup class="cw-cite" dir="ltr"><a class="cw-cite__link" '
        f'id="{uid}-ref-{key}-{counter}" href="#{uid}-source-{number}" target="_self" '
        f'aria-describedby="{label_id}">'
        f"[{number}]</a></sup>"
    )
