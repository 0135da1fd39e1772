"""Language of parts in the substance summaries, in all ten locales (issue 16).

English terms kept inside a translation ("Narcan", "CBT", "FDA",
"contingency management", "7-OH") are written {{en:…}} in the content and
reach the visitor as <span lang="en">, so a screen reader reads them with an
English voice; in Arabic they carry dir="ltr" too, one isolated run. Other
names of a substance ("ketum", "Molly", "الحشيش") are names, not English
words: they are written {{name:…}} and reach the visitor as the same
<bdi class="cw-name"> in every language, never with a lang. The loader
refuses what would let this regress: Latin letters left unmarked in Arabic,
Korean, Russian or Chinese, and listed English terms left unmarked in Spanish,
French, Vietnamese or Filipino.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import NavigableString, Tag
from flask.testing import FlaskClient

from tests.helpers import HTMX, fragment_root
from tests.substances import SLUGS, copy_content
from widget.locales import KNOWN_LOCALES
from widget.substances.content import DEFAULT_CONTENT_DIR, ContentError, load_substances
from widget.substances.rules import (
    _ROMAN,
    ENGLISH_TERMS_FILE,
    NON_LATIN_LOCALES,
    TERM,
    english_terms,
    plain,
)

LOCALES = tuple(KNOWN_LOCALES)
TRANSLATED = [tag for tag in LOCALES if tag != "en"]
LATIN_SCRIPT = [tag for tag in TRANSLATED if tag not in NON_LATIN_LOCALES]
SUBSTANCES = load_substances(DEFAULT_CONTENT_DIR, LOCALES)
LATIN = re.compile(r"[A-Za-z]")
# The issue's own examples, all in the kratom summary of every translation.
KRATOM_TERMS = ("Narcan", "CBT", "FDA", "contingency management", "7-OH")


def render(client: FlaskClient, slug: str, lang: str) -> Tag:
    response = client.get(f"/widgets/substance-summary/{slug}?lang={lang}", headers=HTMX)
    assert response.status_code == 200
    return fragment_root(response.get_data(as_text=True))


def content_parts(root: Tag) -> list[Tag]:
    """What the content files wrote: title, summary line, other names, callout text, sections."""
    title = root.find(id=root["aria-labelledby"])
    parts = [title, root.select_one(".cw-lead"), root.select_one(".cw-urgent__body")]
    names = root.select_one("p.cw-meta:not(.cw-review)")
    return [part for part in [*parts, names, *root.select(".cw-section__body")] if part]


def text_nodes(part: Tag):
    """Text a reader meets in a part, without citation markers and phone links."""
    for node in part.find_all(string=True):
        if node.find_parent(["sup"]) or node.find_parent("a", class_="cw-tel"):
            continue
        yield node


def lang_of(node: NavigableString | Tag, root: Tag) -> str | None:
    """The nearest lang at or above node, inside the widget."""
    element = node if isinstance(node, Tag) else node.parent
    while element is not None and element is not root:
        if element.has_attr("lang"):
            return element["lang"]
        element = element.parent
    return None


def as_name(node: NavigableString) -> Tag | None:
    return node.find_parent("bdi", class_="cw-name")


# --- what the visitor gets -------------------------------------------------------


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_issues_english_terms_are_marked_english_in_every_translation(
    client: FlaskClient, lang: str
) -> None:
    root = render(client, "kratom", lang)
    direction = KNOWN_LOCALES[lang].direction
    written = SUBSTANCES["kratom"].summaries[lang]
    source = plain(" ".join([written.summary, written.emergency, *written.sections.values()]))
    # Some translations say CBT in their own words (TCC, КПТ): those have nothing to mark.
    kept = [term for term in KRATOM_TERMS if term in source]
    assert {"Narcan", "FDA", "7-OH"} <= set(kept), lang
    for term in kept:
        spans = [
            span
            for part in content_parts(root)
            for span in part.find_all("span", lang="en")
            if span.get_text() == term
        ]
        assert spans, f"{lang}: {term} is not marked lang=en"
        for span in spans:
            # dir="ltr" only where the page is right to left (an isolated run there).
            assert span.get("dir") == ("ltr" if direction == "rtl" else None), (lang, span)
        # And nowhere is the term left unmarked in the text.
        for part in content_parts(root):
            for node in text_nodes(part):
                if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", node):
                    assert lang_of(node, root) == "en" or as_name(node), (lang, term, str(node))


@pytest.mark.parametrize("lang", sorted(NON_LATIN_LOCALES))
@pytest.mark.parametrize("slug", SLUGS)
def test_no_latin_letters_without_a_language_or_a_name_in_other_scripts(
    client: FlaskClient, slug: str, lang: str
) -> None:
    # Arabic, Korean, Russian, Chinese: every Latin letter a reader meets in
    # the content is either in a part with its own lang or another name.
    root = render(client, slug, lang)
    assert root["lang"] == lang
    unmarked = [
        str(node)
        for part in content_parts(root)
        for node in text_nodes(part)
        # Roman numerals ("Список III") count as numbers, as for the loader.
        if LATIN.search(_ROMAN.sub("", node)) and lang_of(node, root) is None and not as_name(node)
    ]
    assert not unmarked, f"{slug}/{lang}: Latin letters without lang: {unmarked}"


@pytest.mark.parametrize("lang", LATIN_SCRIPT)
@pytest.mark.parametrize("slug", SLUGS)
def test_listed_english_terms_are_marked_in_latin_script_translations(
    client: FlaskClient, slug: str, lang: str
) -> None:
    root = render(client, slug, lang)
    patterns = {t: re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])") for t in english_terms()}
    for part in content_parts(root):
        for node in text_nodes(part):
            if lang_of(node, root) == "en" or as_name(node):
                continue
            found = [term for term, pattern in patterns.items() if pattern.search(node)]
            assert not found, f"{slug}/{lang}: {found} unmarked in {str(node)!r}"


def names_line(root: Tag) -> Tag:
    line = root.select_one("p.cw-meta:not(.cw-review)")
    assert line is not None
    return line


def markup_shape(tag: Tag) -> list:
    """The elements of a part and their attributes, the words left out."""
    shape = []
    for child in tag.find_all(True):
        attrs = ((k, v if isinstance(v, str) else " ".join(v)) for k, v in child.attrs.items())
        shape.append((child.name, tuple(sorted(attrs))))
    return shape


@pytest.mark.parametrize("slug", SLUGS)
def test_other_names_have_the_same_markup_in_all_ten_locales(
    client: FlaskClient, slug: str
) -> None:
    shapes = {}
    for lang in LOCALES:
        root = render(client, slug, lang)
        line = names_line(root)
        written = SUBSTANCES[slug].summaries[lang].other_names
        names = line.select("bdi.cw-name")
        # Every name, and nothing but the names, in its own isolated <bdi>.
        assert [bdi.get_text() for bdi in names] == list(written), lang
        for bdi in names:
            assert bdi.attrs == {"class": ["cw-name"]}, (lang, bdi)
            assert lang_of(bdi, root) is None, f"{lang}: {bdi} inherits a lang"
        shapes[lang] = {(name, attrs) for name, attrs in markup_shape(line)}
    assert all(shape == shapes["en"] for shape in shapes.values()), shapes


@pytest.mark.parametrize("slug", SLUGS)
def test_other_names_in_the_text_are_names_in_every_locale(client: FlaskClient, slug: str) -> None:
    # The street names the English text lists are the same <bdi> wherever a
    # translation names the substance by them, never lang="en".
    english = SUBSTANCES[slug].summaries["en"]
    listed = {
        match.group(2)
        for body in english.sections.values()
        for match in TERM.finditer(body)
        if match.group(1) == "name"
    }
    for lang in LOCALES:
        # The names this page declares (its own and the English file's); 7-OH,
        # the English abbreviation of 7-hydroxymitragynine, is the exception the
        # text reads as English (docs/content.md, "Words in another language, and other names").
        declared = {
            name.casefold()
            for summary in (english, SUBSTANCES[slug].summaries[lang])
            for name in summary.other_names
        } - {"7-oh"}
        root = render(client, slug, lang)
        bodies = [root.select_one(".cw-urgent__body"), *root.select(".cw-section__body")]
        marked = {bdi.get_text() for body in bodies if body for bdi in body.select("bdi.cw-name")}
        text = " ".join(body.get_text() for body in bodies if body)
        for name in listed:
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                assert name in marked, f"{slug}/{lang}: {name} is not marked as a name"
        for body in bodies:
            for bdi in body.select("bdi.cw-name") if body else ():
                assert not bdi.has_attr("lang") and lang_of(bdi, root) is None, (lang, bdi)
            # Other names never carry lang="en".
            for span in body.select('[lang="en"]') if body else ():
                assert span.get_text().casefold() not in declared, (
                    f"{slug}/{lang}: the other name {span.get_text()!r} is marked English"
                )


def test_the_title_and_the_index_mark_their_terms_too(client: FlaskClient) -> None:
    # The Arabic name of prescription stimulants holds two brand names.
    root = render(client, "prescription-stimulants", "ar")
    title = root.find(id=root["aria-labelledby"])
    assert [b.get_text() for b in title.select("bdi.cw-name")] == ["Adderall", "Ritalin"]
    response = client.get("/widgets/substance-summary?lang=ar", headers=HTMX)
    index = fragment_root(response.get_data(as_text=True))
    assert index.select("bdi.cw-name"), "the index names no brand in its own markup"
    for node in index.select_one(".cw-index").find_all(string=LATIN):
        assert lang_of(node, index) == "en" or as_name(node), str(node)
    spans = index.select('.cw-index__summary span[lang="en"]')
    assert "7-OH" in {span.get_text() for span in spans}
    assert all(span["dir"] == "ltr" for span in spans)


# --- what the loader refuses ------------------------------------------------------


def load(content: Path) -> dict:
    return load_substances(content, LOCALES)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def refusal(tmp_path: Path, lang: str, marked: str, plain: str) -> tuple[Path, str]:
    """The kratom file of `lang` with one mark taken off, and the loader's refusal."""
    content = copy_content(tmp_path)
    path = content / "kratom" / f"{lang}.yaml"
    edit(path, marked, plain)
    with pytest.raises(ContentError) as error:
        load(content)
    return path, str(error.value)


@pytest.mark.parametrize("lang", sorted(NON_LATIN_LOCALES))
def test_an_unmarked_latin_word_in_another_script_is_refused(tmp_path: Path, lang: str) -> None:
    path, message = refusal(
        tmp_path, lang, "{{en:contingency management}}", "contingency management"
    )
    assert str(path) in message and "field 'sections.treatment'" in message
    # The whole term is named, with the two ways to mark it.
    assert "'contingency management' is in Latin letters but not marked" in message
    assert "{{en:contingency management}}" in message
    assert "{{name:contingency management}}" in message


@pytest.mark.parametrize("lang", sorted(NON_LATIN_LOCALES))
def test_an_unmarked_other_name_in_another_script_is_refused(tmp_path: Path, lang: str) -> None:
    content = copy_content(tmp_path)
    path = content / "kratom" / f"{lang}.yaml"
    edit(path, "{{name:ketum}}", "ketum")
    with pytest.raises(ContentError, match=r"'ketum' is in Latin letters but not marked"):
        load(content)


@pytest.mark.parametrize("lang", LATIN_SCRIPT)
def test_an_unmarked_listed_english_term_is_refused_in_latin_script(
    tmp_path: Path, lang: str
) -> None:
    path, message = refusal(tmp_path, lang, "{{en:Narcan}}", "Narcan")
    assert str(path) in message and "field 'emergency'" in message
    assert "'Narcan' is an English term" in message and "write {{en:Narcan}}" in message


@pytest.mark.parametrize(
    ("lang", "old", "new", "says"),
    [
        ("es", "{{en:Narcan}}", "{{fi:Narcan}}", "'fi' is neither 'name' nor one of the languages"),
        ("ar", "{{en:Narcan}}", "{{en: Narcan}}", "begins or ends with a space"),
        ("ar", "{{en:Narcan}}", "{{en:}}", "the term is empty"),
        ("ko", "{{en:Narcan}}", "{{Narcan}}", "double braces that are none of"),
        ("en", "(Narcan)", "({{en:Narcan}})", "this file is in 'en' already; write Narcan"),
    ],
)
def test_malformed_marks_are_refused_with_the_reason(
    tmp_path: Path, lang: str, old: str, new: str, says: str
) -> None:
    content = copy_content(tmp_path)
    path = content / "kratom" / f"{lang}.yaml"
    edit(path, old, new)
    with pytest.raises(ContentError) as error:
        load(content)
    assert str(path) in str(error.value) and says in str(error.value)


def test_what_needs_no_mark_is_accepted(tmp_path: Path) -> None:
    # Citations, contact references, a contact's own keyword (AYUDA, marked
    # Spanish by the renderer), Roman numerals, English source titles and
    # other_names entries are not words the writer must mark.
    content = copy_content(tmp_path)
    for lang in LOCALES:  # every translation refers to the contacts its English file does
        path = content / "kratom" / f"{lang}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["sections"]["treatment"] += "\nAYUDA: {{contact:988-text-spanish}}. III\n"
        data["other_names"].append("Kratom Extract")
        data["sources"][0]["title"] = "An English Title"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load(content)["kratom"].summaries["ar"].other_names[-1] == "Kratom Extract"


def test_the_english_terms_list_is_the_one_the_loader_reads() -> None:
    listed = yaml.safe_load(ENGLISH_TERMS_FILE.read_text(encoding="utf-8"))["terms"]
    assert set(english_terms()) == set(listed)
    assert {"Narcan", "CBT", "FDA", "contingency management", "7-OH"} <= set(listed)
    # Other names are names, never on the English list.
    names = {n for s in SUBSTANCES.values() for x in s.summaries.values() for n in x.other_names}
    assert not (set(listed) - {"7-OH"}) & names
