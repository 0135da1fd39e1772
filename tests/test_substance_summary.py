"""What a visitor meets in a substance summary and the index, over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel.dates import format_date
from flask.testing import FlaskClient

from tests.helpers import HTMX, fragment_root
from tests.substances import SLUGS, copy_content
from widget import create_app
from widget.helpline.facts import load_contacts
from widget.locales import KNOWN_LOCALES
from widget.phone import spaced
from widget.substances.content import DEFAULT_CONTENT_DIR, load_substances, slugify

SUBSTANCES = load_substances(DEFAULT_CONTENT_DIR, tuple(KNOWN_LOCALES))
# Every written summary, as (slug, locale) pairs.
WRITTEN = sorted((slug, locale) for slug, s in SUBSTANCES.items() for locale in s.summaries)


def summary(client: FlaskClient, slug: str, **query: str):
    response = client.get(f"/widgets/substance-summary/{slug}", query_string=query, headers=HTMX)
    assert response.status_code == 200, response.status_code
    return fragment_root(response.get_data(as_text=True))


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_substance_renders_as_a_named_article(
    client: FlaskClient, slug: str, lang: str
) -> None:
    root = summary(client, slug, lang=lang)
    written = SUBSTANCES[slug].summaries[lang]
    assert root.name == "article"
    assert root["data-widget"] == "substance-summary"
    assert root["lang"] == lang
    title = root.find(id=root["aria-labelledby"])
    assert title.name == "h2"
    assert title.get_text(strip=True) == written.name
    # The emergency callout, six sections and the sources, one level below the title.
    assert len(root.find_all("h3", recursive=True)) == 8
    assert root.find("time")["datetime"] == written.last_updated.isoformat()
    # The closing pointer to help: the compact helpline banner.
    assert root.select_one('[data-widget="helpline-banner"][data-variant="compact"]')


@pytest.mark.parametrize("slug", SLUGS)
def test_citations_link_to_sources_that_link_back(client: FlaskClient, slug: str) -> None:
    root = summary(client, slug)
    ids = {tag["id"] for tag in root.find_all(id=True)}
    references = root.select("a.cw-cite__link")
    assert references
    label = root.find(id=references[0]["aria-describedby"])
    assert label.get_text(strip=True) == "Sources"
    for reference in references:
        assert reference["href"].lstrip("#") in ids
        assert re.fullmatch(r"\[\d+\]", reference.get_text())
    sources = root.select("ol.cw-sources__list > li")
    assert [li["id"] for li in sources] == sorted(
        (li["id"] for li in sources), key=lambda i: int(i.rsplit("-", 1)[1])
    )
    names = []
    for number, source in enumerate(sources, start=1):
        back_links = source.select("a.cw-back-link")
        assert back_links, f"{source['id']} has a way back"
        for back in back_links:
            assert back["href"].lstrip("#") in ids
            # Named by the section and the reference number: "Effects [3]".
            assert back.get_text().endswith(f"[{number}]")
            names.append(back.get_text())
    # Every back link has its own name (a links list tells them apart).
    assert len(names) == len(set(names))
    # Numbers follow the order of first citation.
    first_seen: list[str] = []
    for reference in references:
        if reference.get_text() not in first_seen:
            first_seen.append(reference.get_text())
    assert first_seen == [f"[{n}]" for n in range(1, len(first_seen) + 1)]


def test_one_address_renders_the_same_ids_and_another_summary_other_ids(
    client: FlaskClient,
) -> None:
    # Cacheable; copies on one page get fresh ids in the browser (test_copies.py).
    def ids(slug: str) -> list[str]:
        return [tag["id"] for tag in summary(client, slug).find_all(id=True)]

    assert ids("kratom") == ids("kratom")
    assert len(ids("kratom")) == len(set(ids("kratom")))
    assert not set(ids("kratom")) & set(ids("ketamine"))


@pytest.mark.parametrize(("lang", "babel"), [("en", "en"), ("es", "es"), ("zh-Hant", "zh_Hant")])
def test_last_updated_date_is_written_for_the_locale(
    client: FlaskClient, lang: str, babel: str
) -> None:
    root = summary(client, "kratom", lang=lang)
    written = SUBSTANCES["kratom"].summaries[lang]
    expected = format_date(written.last_updated, format="long", locale=babel)
    assert root.find("time").get_text() == expected
    if lang == "es":
        assert re.fullmatch(r"\d{1,2} de \w+ de \d{4}", expected)


@pytest.mark.parametrize("level", [2, 3, 4, 5, 6])
def test_heading_levels_follow_the_heading_parameter(client: FlaskClient, level: int) -> None:
    root = summary(client, "ketamine", heading=str(level))
    headings = [h.name for h in root.find_all(re.compile(r"^h[1-6]$"))]
    assert headings[0] == f"h{level}"
    assert set(headings[1:]) == {f"h{min(level + 1, 6)}"}


def test_collapsible_sections_start_closed_except_the_emergency_callout(
    client: FlaskClient,
) -> None:
    root = summary(client, "cannabis", collapsible="true")
    details = root.find_all("details")
    assert len(details) == 6
    for item in details:
        assert not item.has_attr("open"), "closed: the page opens on the callout"
        assert item.find("summary").find("h3")
    callout = root.select_one(".cw-urgent")
    assert callout.find_parent("details") is None
    assert callout.select("a[href^='tel:']")
    assert not summary(client, "cannabis").find_all("details")


def test_collapsible_must_be_true_or_false(client: FlaskClient) -> None:
    response = client.get("/widgets/substance-summary/cannabis?collapsible=yes&lang=es")
    assert response.status_code == 400
    assert "«collapsible» debe ser true o false." in response.get_data(as_text=True)


# Every other name people may type, except those that already are the slug.
ALIASES = sorted(
    (alias, slug)
    for alias, slug in {(alias, slug) for slug, s in SUBSTANCES.items() for alias in s.aliases}
    | {(summary.name, slug) for slug, s in SUBSTANCES.items() for summary in s.summaries.values()}
    if slugify(alias) != slug
)


@pytest.mark.parametrize(("alias", "slug"), ALIASES)
def test_aliases_and_names_in_other_languages_redirect_to_the_one_page(
    client: FlaskClient, alias: str, slug: str
) -> None:
    response = client.get(f"/widgets/substance-summary/{alias}?lang=es&heading=3")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/widgets/substance-summary/{slug}?lang=es&heading=3"


def test_special_k_is_ketamine_and_spanish_names_work(client: FlaskClient) -> None:
    assert client.get("/widgets/substance-summary/special-k").headers["Location"] == (
        "/widgets/substance-summary/ketamine"
    )
    for spanish, slug in (("cocaína", "cocaine"), ("Metanfetamina", "methamphetamine")):
        response = client.get(f"/widgets/substance-summary/{spanish}")
        assert response.headers["Location"] == f"/widgets/substance-summary/{slug}"


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_unknown_substance_is_a_localized_404_that_repeats_nothing(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    url = "/widgets/substance-summary/<b>Call 555-0100 instead</b>?lang=es"
    response = client.get(url, headers=headers)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "No tenemos un resumen sobre esta sustancia." in html
    # What the address said is not repeated beside the crisis line.
    assert "555-0100" not in html and "bath" not in html


def test_index_lists_every_substance_by_localized_name_in_order(client: FlaskClient) -> None:
    for lang in ("en", "es"):
        response = client.get(
            "/widgets/substance-summary", query_string={"lang": lang}, headers=HTMX
        )
        root = fragment_root(response.get_data(as_text=True))
        assert root["data-widget"] == "substance-summary-index"
        links = root.select("a.cw-index__link")
        names = [a.get_text(strip=True) for a in links]
        assert set(names) == {s.summaries[lang].name for s in SUBSTANCES.values()}
        assert names == sorted(names, key=slugify)
        for link in links:
            # Absolute: the fragment may sit on a partner's page.
            assert re.fullmatch(
                rf"http://localhost/widgets/substance-summary/[a-z-]+\?lang={lang}", link["href"]
            )


def test_spanish_index_sorts_accented_names_with_their_letter(client: FlaskClient) -> None:
    response = client.get("/widgets/substance-summary?lang=es", headers=HTMX)
    names = [
        a.get_text(strip=True) for a in fragment_root(response.get_data(as_text=True)).select("a")
    ]
    folded = [slugify(name) for name in names]
    assert folded == sorted(folded)


def test_missing_locale_shows_marked_english_after_a_note(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    (content / "kratom" / "es.yaml").unlink()
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SUBSTANCE_CONTENT_DIR": str(content)})
    response = app.test_client().get("/widgets/substance-summary/kratom?lang=es", headers=HTMX)
    assert response.status_code == 200
    root = fragment_root(response.get_data(as_text=True))
    assert root["lang"] == "es"
    note = root.select_one(".cw-fallback-note")
    assert note.get_text(strip=True) == (
        "Este resumen todavía no está disponible en español. Aquí se muestra en inglés."
    )
    english = SUBSTANCES["kratom"].summaries["en"]
    assert root.select_one("h2 span[lang=en]").get_text() == english.name
    bodies = root.select(".cw-section__body, .cw-urgent__body")
    assert len(bodies) == 7 and all(body["lang"] == "en" for body in bodies)
    # The interface around the English text stays in Spanish.
    assert [h.get_text() for h in root.find_all("h3")][:2] == [
        # A no-break space after the hidden prefix: Orca drops an ordinary one.
        "Urgente:\xa0Obtenga ayuda de inmediato",
        "Qué es",
    ]
    # The index marks the English entry too.
    index = app.test_client().get("/widgets/substance-summary?lang=es", headers=HTMX)
    item = fragment_root(index.get_data(as_text=True)).find("a", string=english.name).parent
    assert item["lang"] == "en"


# The callout's tap-to-call links: (href, number shown), from helplines.yaml.
URGENT = [("tel:911", spaced("911")), ("tel:988", spaced("988")), ("sms:988", spaced("988")),
          ("tel:+18002221222", spaced("1-800-222-1222"))]  # fmt: skip


@pytest.mark.parametrize(("slug", "lang"), WRITTEN)
def test_every_summary_opens_with_an_emergency_callout(
    client: FlaskClient, slug: str, lang: str
) -> None:
    root = summary(client, slug, lang=lang)
    callout = root.select_one(".cw-urgent")
    assert callout is not None
    # A group named by its heading, announced as urgent to screen readers.
    assert callout["role"] == "group"
    heading = root.find(id=callout["aria-labelledby"])
    assert heading.name == "h3" and heading.find_parent(class_="cw-urgent") is callout
    assert "cw-visually-hidden" in heading.span["class"]
    # Near the top: before every section.
    first_section = root.select_one(".cw-section")
    assert first_section in callout.find_all_next(class_="cw-section")
    # The writers' text about danger signs, then the dial links.
    body = callout.select_one(".cw-urgent__body")
    assert body is not None and body.get_text(strip=True)
    links = {
        (a["href"], a.select_one(".cw-number").get_text())
        for a in callout.select(".cw-urgent__lines a")
    }
    assert set(URGENT) <= links
    for a in callout.find_all("a"):
        assert not a.has_attr("aria-label"), "the number is the link's name"


@pytest.mark.parametrize(("slug", "lang"), WRITTEN)
def test_contact_references_render_the_numbers_of_the_facts_file(
    client: FlaskClient, slug: str, lang: str
) -> None:
    written = SUBSTANCES[slug].summaries[lang]
    contacts = load_contacts()
    root = summary(client, slug, lang=lang)
    links = root.select("a.cw-tel")
    # One link per {{contact:ID}}, in the order written, dialling what it shows.
    assert [a["href"] for a in links] == [contacts[ref].href for ref in written.contact_refs]
    for a, ref in zip(links, written.contact_refs, strict=True):
        assert a.get_text() == contacts[ref].shown
        assert re.sub(r"\D", "", a.get_text()) == re.sub(r"\D", "", a["href"].split("?")[0])
        # One unit, left to right inside any language; the number is the name.
        assert a["dir"] == "ltr" and not a.has_attr("aria-label")
    assert "{{contact:" not in str(root)


def review_app(tmp_path: Path, change):
    """An app whose kratom files were changed by `change(folder)`."""
    content = copy_content(tmp_path)
    change(content / "kratom")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SUBSTANCE_CONTENT_DIR": str(content)})
    return app.test_client()


def mark_reviewed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"^  status: .*$",
        "  status: reviewed\n  reviewed_on: 2026-12-01\n"
        '  reviewed_by: "Addiction medicine physician, Example Clinic"',
        text,
        count=1,
        flags=re.M,
    )
    path.write_text(text, encoding="utf-8")


def review_line(client: FlaskClient, lang: str) -> str:
    return summary(client, "kratom", lang=lang).select_one(".cw-review").get_text(" ", strip=True)


def test_unreviewed_text_says_last_updated_and_who_has_not_reviewed_it(
    client: FlaskClient,
) -> None:
    written = SUBSTANCES["kratom"].summaries["en"]
    line = review_line(client, "en")
    assert line.startswith("Last updated: ")
    assert "This page has not yet been reviewed by a clinician." in line
    assert "Last reviewed" not in str(summary(client, "kratom"))
    assert format_date(written.last_updated, format="long", locale="en") in line
    # A translation says the native speaker's review is missing too.
    assert review_line(client, "es") == (
        "Última actualización: "
        + format_date(SUBSTANCES["kratom"].summaries["es"].last_updated, "long", locale="es")
        + " Esta página aún no ha sido revisada por un profesional de la salud, y esta "
        "traducción aún no ha sido revisada por un hablante nativo."
    )


def test_last_reviewed_only_after_a_real_review(tmp_path: Path) -> None:
    client = review_app(tmp_path, lambda folder: mark_reviewed(folder / "en.yaml"))
    line = review_line(client, "en")
    assert line == "Last reviewed: December 1, 2026"
    root = summary(client, "kratom")
    assert root.select_one(".cw-review time")["datetime"] == "2026-12-01"
    # The Spanish translation: the clinician saw the English, no native speaker yet.
    spanish = review_line(client, "es")
    assert spanish.startswith("Última actualización: ")
    assert spanish.endswith(
        "Un profesional de la salud revisó el texto en inglés; esta traducción aún no ha "
        "sido revisada por un hablante nativo."
    )


def test_review_status_strings_are_translated_in_every_locale(client: FlaskClient) -> None:
    english = review_line(client, "en")
    for lang in SUBSTANCES["kratom"].summaries:
        if lang == "en":
            continue
        line = review_line(client, lang)
        assert "Last updated" not in line and "clinician" not in line, (lang, line)
        assert line != english


def add_ayuda(folder: Path) -> None:
    """Every kratom file's treatment text ends by naming the AYUDA keyword."""
    for path in folder.glob("*.yaml"):
        if path.name == "meta.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["sections"]["treatment"] += "\nAYUDA: {{contact:988-text-spanish}}.\n"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_ayuda_is_marked_spanish_in_other_languages(tmp_path: Path) -> None:
    client = review_app(tmp_path, add_ayuda)
    for lang in ("en", "zh-Hans", "ar", "es"):
        root = summary(client, "kratom", lang=lang)
        treatment = root.select(".cw-section__body")[-1]
        words = treatment.find_all(string=re.compile(r"\bAYUDA\b"))
        assert len(words) == 1
        expected = None if lang == "es" else "es"
        assert words[0].parent.get("lang") == expected, lang
        link = treatment.select_one('a.cw-tel[href="sms:988?body=AYUDA"]')
        assert link.get_text() == spaced("988")


def test_sources_carry_their_language_and_keep_their_full_stop_in_arabic(
    client: FlaskClient,
) -> None:
    root = summary(client, "kratom", lang="ar")
    for item in root.select("ol.cw-sources__list > li"):
        cited = item.find("span")
        # English titles in Arabic: lang and an isolated left-to-right run.
        assert cited["lang"] == "en" and cited["dir"] == "ltr"
        assert cited.get_text().endswith(".")
    # Citation markers are isolated too, so "[3]" stays after the full stop.
    assert all(sup["dir"] == "ltr" for sup in root.select("sup.cw-cite"))
    spanish = summary(client, "opioids", lang="es")
    langs = {
        span.get("lang") for span in spanish.select("ol.cw-sources__list > li > span:first-child")
    }
    # Spanish pages of the sources carry no lang (the page's own); English ones are marked.
    written = SUBSTANCES["opioids"].summaries["es"]
    declared = {source.lang or "en" for source in written.sources.values()}
    assert langs == {None if lang == "es" else lang for lang in declared}
