"""The substance content files: complete, cited, readable, and checked at start-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import textstat
import yaml

from tests.substances import SLUGS, copy_content, plain_text
from widget import create_app
from widget.substances.content import (
    ALLOWED_SOURCE_HOSTS,
    DEFAULT_CONTENT_DIR,
    SECTION_KEYS,
    ContentError,
    load_substances,
)

REQUIRED = {
    "kratom", "ketamine", "alcohol", "opioids", "methamphetamine", "cocaine", "cannabis",
    "benzodiazepines", "nicotine", "mdma", "hallucinogens", "prescription-stimulants",
}  # fmt: skip


@pytest.fixture(scope="module")
def substances():
    return load_substances(DEFAULT_CONTENT_DIR, ("en", "es"))


def test_all_twelve_substances_are_written_in_english_and_spanish(substances) -> None:
    assert set(substances) == REQUIRED
    for substance in substances.values():
        assert set(substance.summaries) == {"en", "es"}, substance.slug


@pytest.mark.parametrize("slug", SLUGS)
def test_english_summary_is_plain_language_and_the_right_length(substances, slug: str) -> None:
    summary = substances[slug].summaries["en"]
    text = "\n\n".join(plain_text(summary.sections[key]) for key in SECTION_KEYS)
    words = textstat.lexicon_count(text)
    grade = textstat.flesch_kincaid_grade(text)
    assert 350 <= words <= 800, f"{slug}: {words} words"
    assert grade <= 9, f"{slug}: Flesch-Kincaid grade {grade}"


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("locale", ["en", "es"])
def test_every_section_cites_an_allowed_https_source(substances, slug: str, locale: str) -> None:
    summary = substances[slug].summaries[locale]
    for key in SECTION_KEYS:
        assert "[@" in summary.sections[key], f"{slug}/{locale}: {key} cites nothing"
    for source in summary.sources.values():
        assert source.url.startswith("https://")
        host = source.url.split("/")[2]
        assert any(host == h or host.endswith("." + h) for h in ALLOWED_SOURCE_HOSTS), host
        assert source.publisher and source.title


@pytest.mark.parametrize("slug", SLUGS)
def test_review_status_is_recorded_per_locale(substances, slug: str) -> None:
    english = substances[slug].summaries["en"]
    spanish = substances[slug].summaries["es"]
    assert english.review_status in ("reviewed", "awaiting-expert-review")
    # Our Spanish awaits a native speaker's review; the metadata must say so.
    assert spanish.review_status == "awaiting-native-speaker-review"
    for summary in (english, spanish):
        assert summary.last_reviewed <= dt.date.today()
        assert summary.review_note.strip()


def break_file(tmp_path: Path, relative: str, change) -> Path:
    content = copy_content(tmp_path)
    path = content / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return content


def _set(path: list, value):
    def change(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _delete(path: list):
    def change(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


BROKEN = [
    ("kratom/en.yaml", _delete(["sections", "withdrawal"]), "field 'sections'"),
    ("kratom/en.yaml", _set(["summary"], "x" * 300), "field 'summary'"),
    ("kratom/en.yaml", _set(["last_reviewed"], "21/11/2026"), "field 'last_reviewed'"),
    ("kratom/en.yaml", _set(["review", "status"], "fine"), "field 'review.status'"),
    ("kratom/en.yaml", _set(["sources", 0, "url"], "http://nida.nih.gov/x"),
     "field 'sources.0.url'"),
    ("kratom/en.yaml", _set(["sources", 0, "url"], "https://example.com/x"),
     "field 'sources.0.url': not an allowed publisher"),
    ("kratom/en.yaml", _set(["sections", "effects"], "No citation here."),
     "field 'sections.effects': cites no source"),
    ("kratom/en.yaml", _set(["sections", "effects"], "Text.[@nobody]"),
     "field 'sections.effects': unknown source 'nobody'"),
    ("kratom/en.yaml", _set(["sections", "effects"], "# Heading\n\nText.[@x]"),
     "field 'sections.effects': contains a heading"),
    ("kratom/en.yaml", _set(["sections", "risks"], "<script>x</script>[@x]"),
     "field 'sections.risks': contains raw HTML"),
    ("kratom/en.yaml", _set(["sections", "risks"], "See [here](https://x.org).[@x]"),
     "field 'sections.risks': contains a link"),
    ("kratom/en.yaml", _set(["locale"], "es"), "field 'locale'"),
    ("kratom/es.yaml", _set(["name"], ""), "field 'name'"),
    ("kratom/meta.yaml", _set(["slug"], "kratom2"), "field 'slug'"),
    ("kratom/meta.yaml", _set(["aliases"], ["special-k"]), "field 'aliases.0'"),
    ("kratom/meta.yaml", _set(["aliases"], ["Not A Slug"]), "field 'aliases.0'"),
]  # fmt: skip


@pytest.mark.parametrize(("relative", "change", "message"), BROKEN)
def test_a_malformed_file_stops_the_service_naming_file_and_field(
    tmp_path: Path, relative: str, change, message: str
) -> None:
    content = break_file(tmp_path, relative, change)
    with pytest.raises(ContentError) as caught:
        create_app({"TESTING": True, "SECRET_KEY": "t", "SUBSTANCE_CONTENT_DIR": str(content)})
    text = str(caught.value)
    assert relative in text.replace("\\", "/"), text
    assert message in text, text


def test_an_uncited_source_is_refused(tmp_path: Path) -> None:
    def add_source(data):
        data["sources"].append(
            {"id": "unused", "publisher": "NIDA", "title": "T", "url": "https://nida.nih.gov/"}
        )

    content = break_file(tmp_path, "kratom/en.yaml", add_source)
    with pytest.raises(ContentError, match="'unused' is never cited"):
        load_substances(content, ("en", "es"))


def test_a_substance_without_english_is_refused(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    (content / "kratom" / "en.yaml").unlink()
    with pytest.raises(ContentError, match="no en.yaml"):
        load_substances(content, ("en", "es"))


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    (content / "kratom" / "es.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"kratom/es.yaml: not valid YAML"):
        load_substances(content, ("en", "es"))
