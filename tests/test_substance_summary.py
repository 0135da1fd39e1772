"""What a visitor meets in a substance summary and the index, over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import HTMX, fragment_root
from tests.substances import SLUGS, copy_content
from widget import create_app
from widget.locales import KNOWN_LOCALES
from widget.substances.content import DEFAULT_CONTENT_DIR, load_substances, slugify

SUBSTANCES = load_substances(DEFAULT_CONTENT_DIR, tuple(KNOWN_LOCALES))


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
    # Six sections and the sources, one level below the title.
    assert len(root.find_all("h3", recursive=True)) == 7
    assert root.find("time")["datetime"] == written.last_reviewed.isoformat()
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
    for source in sources:
        back_links = source.select("a.cw-back-link")
        assert back_links, f"{source['id']} has a way back"
        for back in back_links:
            assert back["href"].lstrip("#") in ids
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


@pytest.mark.parametrize(
    ("lang", "date"), [("en", "November 21, 2026"), ("es", "21 de noviembre de 2026")]
)
def test_last_reviewed_date_is_written_for_the_locale(
    client: FlaskClient, lang: str, date: str
) -> None:
    root = summary(client, "kratom", lang=lang)
    assert root.find("time").get_text() == date


@pytest.mark.parametrize("level", [2, 3, 4, 5, 6])
def test_heading_levels_follow_the_heading_parameter(client: FlaskClient, level: int) -> None:
    root = summary(client, "ketamine", heading=str(level))
    headings = [h.name for h in root.find_all(re.compile(r"^h[1-6]$"))]
    assert headings[0] == f"h{level}"
    assert set(headings[1:]) == {f"h{min(level + 1, 6)}"}


def test_collapsible_sections_use_native_details(client: FlaskClient) -> None:
    root = summary(client, "cannabis", collapsible="true")
    details = root.find_all("details")
    assert len(details) == 6
    for item in details:
        assert item.has_attr("open"), "open by default: nothing is hidden from a first read"
        assert item.find("summary").find("h3")
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
    bodies = root.select(".cw-section__body")
    assert len(bodies) == 6 and all(body["lang"] == "en" for body in bodies)
    # The interface around the English text stays in Spanish.
    assert root.find("h3").get_text() == "Qué es"
    # The index marks the English entry too.
    index = app.test_client().get("/widgets/substance-summary?lang=es", headers=HTMX)
    item = fragment_root(index.get_data(as_text=True)).find("a", string=english.name).parent
    assert item["lang"] == "en"
