"""The substance content files: complete, cited, readable, and checked at start-up.

Issue 14's findings as regressions: no phone number written out in content
(numbers are {{contact:ID}} references to helplines.yaml), an emergency text
in every summary, 988 wherever self-harm is mentioned, dated checks of the
facts that can hurt, and translations that match their English file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import textstat
import yaml

from tests.substances import SLUGS, copy_content, plain_text
from widget import create_app
from widget.helpline.facts import load_contacts
from widget.locales import KNOWN_LOCALES
from widget.substances.content import (
    CITATION,
    CONTACT,
    DEFAULT_CONTENT_DIR,
    SECTION_KEYS,
    ContentError,
    load_substances,
)
from widget.substances.rules import ALLOWED_SOURCE_HOSTS

REQUIRED = {
    "kratom", "ketamine", "alcohol", "opioids", "methamphetamine", "cocaine", "cannabis",
    "benzodiazepines", "nicotine", "mdma", "hallucinogens", "prescription-stimulants",
    "fentanyl",
}  # fmt: skip
CONTENT_FILES = sorted(DEFAULT_CONTENT_DIR.glob("*/*.yaml"))


@pytest.fixture(scope="module")
def substances():
    return load_substances(DEFAULT_CONTENT_DIR, tuple(KNOWN_LOCALES), frozenset(load_contacts()))


def every_summary(substances):
    return [s for substance in substances.values() for s in substance.summaries.values()]


def test_all_substances_are_written_in_english_and_spanish(substances) -> None:
    assert set(substances) == REQUIRED
    for substance in substances.values():
        assert {"en", "es"} <= set(substance.summaries), substance.slug


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
    assert english.review_status in ("reviewed", "awaiting-expert-review")
    for summary in substances[slug].summaries.values():
        if summary.locale != "en":
            # Our translations await a native speaker's review; the metadata says so.
            assert summary.review_status == "awaiting-native-speaker-review", summary.path
        assert summary.last_updated <= dt.date.today()
        assert summary.review_note.strip()
        # Nobody has reviewed anything yet: no file may claim a review.
        assert summary.reviewed_on is None and not summary.reviewed_by, summary.path


# What a written-out phone number or short code looks like (CONTENT-SPEC):
# an address such as 988lifeline.org is not one.
PHONE = re.compile(
    r"\d{3}[-. ]\d{3}[-. ]\d{4}|\(\d{3}\)\s*\d{3}|1-8\d\d-\w+"
    r"|(?<![\w.])(?:911|988|435748|838255|741741|47848|333888)(?![\w])|222-1222"
)
# Every number the facts file holds, as shown: none may be typed into content.
FACT_NUMBERS = sorted({c.shown for c in load_contacts().values()}, key=len, reverse=True)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_content_file_writes_out_a_phone_number(path: Path) -> None:
    # One source for every number: helplines.yaml. Text refers to it as
    # {{contact:ID}}; source addresses may hold digits.
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^\s*url: .*$", "", text, flags=re.M)
    text = CONTACT.sub("", text)
    found = PHONE.findall(text)
    found += [n for n in FACT_NUMBERS if re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", text)]
    assert not found, f"{path}: written-out numbers {found}"


def test_every_summary_has_an_emergency_text_that_cites_its_source(substances) -> None:
    for summary in every_summary(substances):
        assert summary.emergency.strip(), summary.path
        assert CITATION.search(summary.emergency), summary.path


# Words that mention self-harm or suicide, in the languages every summary is written in.
SELF_HARM = re.compile(
    r"suicid(?!e & Crisis Lifeline)|self-harm|(?:harm|hurt|kill)(?:ing)? (?:them|your|him|her)sel"
    r"|hacerse daño|hacerte daño|autolesi|quitarse la vida"
    # Issue 17: the translations say it too (vi, ko, zh, fr, ru, tl, ar).
    r"|làm hại bản thân|스스로를 해치|伤害自己|傷害自己|se faire du mal|навредить себе"
    r"|самоубий|saktan ang sarili|magpakamatay|إيذاء نفس|انتحار",
    re.I,
)
LIFELINE_REFS = ("988-call", "988-text")


def test_988_is_offered_wherever_self_harm_is_mentioned(substances) -> None:
    # Issue 14: self-harm advice sent people only to 911; 988 comes first.
    mentions = 0
    counted = Counter()
    for summary in every_summary(substances):
        bodies = [summary.emergency, *summary.sections.values()]
        if not any(SELF_HARM.search(body) for body in bodies):
            continue
        mentions += 1
        counted[summary.locale] += 1
        assert set(LIFELINE_REFS) & set(summary.contact_refs), f"{summary.path}: no 988"
        for body in bodies:
            for paragraph in re.split(r"\n\s*\n", body):
                if not SELF_HARM.search(paragraph):
                    continue
                refs = CONTACT.findall(paragraph)
                if "emergency-call" in refs:
                    first_988 = min(
                        (refs.index(r) for r in LIFELINE_REFS if r in refs), default=len(refs)
                    )
                    assert first_988 < refs.index("emergency-call"), (
                        f"{summary.path}: 911 before 988 in: {paragraph[:120]}"
                    )
    assert mentions >= 8, "cocaine, methamphetamine, MDMA, stimulants … mention self-harm"
    for locale in ("vi", "ko", "zh-Hans", "zh-Hant"):
        assert counted[locale] >= 5, f"{locale}: self-harm advice not recognized ({counted})"


def test_every_fact_that_can_hurt_records_its_source_and_date(substances) -> None:
    for summary in every_summary(substances):
        assert summary.checks, f"{summary.path}: no checks"
        for check in summary.checks:
            assert check.source in summary.sources, (summary.path, check.source)
            assert check.checked <= dt.date.today()
            assert check.fact.strip()


LIST_ITEM = re.compile(r"^\s*[-*]\s+", re.M)


def shape(summary) -> dict[str, tuple]:
    """Per body (callout and sections): citations, list items, contact references in order."""
    bodies = {"emergency": summary.emergency, **summary.sections}
    return {
        key: (len(CITATION.findall(body)), len(LIST_ITEM.findall(body)), CONTACT.findall(body))
        for key, body in bodies.items()
    }


def test_a_translation_matches_its_english_file(substances) -> None:
    # Issue 17: the same sections, the same callout, the same number of
    # citations and list items per section, and the same numbers in the
    # same places, so that no translation drops a step or a phone line.
    for substance in substances.values():
        english = substance.summaries["en"]
        for summary in substance.summaries.values():
            assert set(summary.sections) == set(SECTION_KEYS), summary.path
            assert summary.emergency.strip() and summary.summary.strip(), summary.path
            mine, theirs = shape(summary), shape(english)
            for key in mine:
                assert mine[key] == theirs[key], (summary.path, key, mine[key], theirs[key])


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


def _cite_again(path: list):
    """Add one more citation of the body's first source at its end."""

    def change(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        first = CITATION.search(target[path[-1]]).group(0)
        target[path[-1]] = target[path[-1]].rstrip() + first + "\n"

    return change


def _edit(path: list, old: str, new: str):
    def change(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        assert old in target[path[-1]]
        target[path[-1]] = target[path[-1]].replace(old, new, 1)

    return change


BROKEN = [
    ("kratom/en.yaml", _delete(["sections", "withdrawal"]), "field 'sections'"),
    ("kratom/en.yaml", _set(["summary"], "x" * 300), "field 'summary'"),
    ("kratom/en.yaml", _set(["last_updated"], "21/11/2026"), "field 'last_updated'"),
    ("kratom/en.yaml", _delete(["emergency"]), "'emergency' is a required property"),
    ("kratom/en.yaml", _set(["last_reviewed"], "2026-11-21"), "'last_reviewed' was unexpected"),
    ("kratom/en.yaml", _set(["emergency"], ""), "field 'emergency'"),
    ("kratom/en.yaml", _delete(["checks"]), "'checks' is a required property"),
    ("kratom/en.yaml", _set(["checks"], []), "field 'checks'"),
    ("kratom/en.yaml", _set(["checks", 0, "source"], "nobody"),
     "field 'checks.0.source': 'nobody' is not a source id"),
    ("kratom/en.yaml", _set(["checks", 0, "checked"], "last week"), "field 'checks.0.checked'"),
    ("kratom/en.yaml", _set(["review", "status"], "reviewed"), "field 'review'"),
    ("kratom/en.yaml", _set(["review", "reviewed_on"], "2026-12-01"), "field 'review'"),
    ("kratom/en.yaml", _set(["sources", 0, "lang"], "Spanish"), "field 'sources.0.lang'"),
    ("kratom/en.yaml", _edit(["emergency"], "{{contact:emergency-call}}", "{{contact:nobody}}"),
     "field 'emergency': unknown contact 'nobody'"),
    ("kratom/en.yaml", _edit(["emergency"], "{{contact:emergency-call}}", "911"),
     "field 'emergency': the number '911' is written out"),
    ("kratom/en.yaml", _set(["sections", "treatment"], "Call 1-800-662-4357 now.[@nida-kratom]"),
     "field 'sections.treatment': the number '1-800-662-4357' is written out"),
    ("kratom/en.yaml", _set(["summary"], "Text 988 for help."),
     "field 'summary': the number '988' is written out"),
    ("kratom/es.yaml", _edit(["emergency"], "{{contact:emergency-call}}", "la línea"),
     "contact references"),
    ("kratom/es.yaml", _edit(["sections", "effects"], "[@", "[@x-"), "unknown source"),
    ("kratom/ar.yaml", _cite_again(["sections", "what_it_is"]), "citations per section"),
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
