"""Every relative link in the docs leads to a file of the repository, every #anchor to a heading.

The docs are README.md, CHANGELOG.md, deploy/README.md and every Markdown file
under docs/. Anchors are resolved as GitHub names headings: lower case,
punctuation dropped, spaces turned into hyphens, "-1", "-2"... for repeats.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]

FENCE = re.compile(r"^(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# [text](target "title") and ![alt](target); the text may hold brackets of inline code.
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s[^>]*(?:id|name)=\"([^\"]+)\"")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def doc_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "deploy" / "README.md"]
    files += sorted((ROOT / "docs").rglob("*.md"))
    return [path for path in files if path.is_file()]


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, with their numbers."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading's text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _, line in _prose_lines(path.read_text(encoding="utf-8")):
        found.update(HTML_ANCHOR.findall(line))
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in _prose_lines(path.read_text(encoding="utf-8")):
        prose = INLINE_CODE.sub("code", line)
        found += [(number, target) for target in INLINE_LINK.findall(prose)]
        reference = REFERENCE.match(prose)
        if reference:
            found.append((number, reference.group(1)))
    return found


def problems(path: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with the relative links of one Markdown file."""
    found = []
    root = root.resolve()
    where = path.resolve().relative_to(root)
    for number, target in links(path):
        if not target or SCHEME.match(target) or target.startswith("//"):
            continue
        address, _, fragment = target.partition("#")
        destination = (path.parent / unquote(address)).resolve() if address else path
        if root not in destination.parents and destination != root:
            found.append(f"{where}:{number}: {target} leads outside the repository")
            continue
        if not destination.exists():
            found.append(f"{where}:{number}: {target}: no such file")
            continue
        if fragment and destination.suffix == ".md" and fragment not in anchors(destination):
            found.append(f"{where}:{number}: {target}: no heading with that anchor")
    return found


@pytest.mark.parametrize("path", doc_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves(path: Path) -> None:
    found = problems(path)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", doc_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_doc_names_a_document_outside_the_repository(path: Path) -> None:
    # Named in prose or code, not only linked: every Markdown file a doc names
    # is one the repository holds, so the design lives here.
    held = {md.name for md in ROOT.rglob("*.md") if not {".venv", "node_modules"} & set(md.parts)}
    text = path.read_text(encoding="utf-8")
    named = set(re.findall(r"[\w.-]+\.md\b", text))
    assert named <= held, f"names documents the repository does not hold: {named - held}"


def test_the_docs_are_all_found() -> None:
    names = {str(path.relative_to(ROOT)) for path in doc_files()}
    assert {"README.md", "CHANGELOG.md", "docs/architecture.md", "docs/testing.md"} <= names
    assert any(name.startswith("docs/accessibility/") for name in names)


def test_the_checker_reports_a_broken_file_an_unknown_anchor_and_an_escape(
    tmp_path: Path,
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text(
        "# Other page\n\n## Keeping the widgets' look: an id-weighted root\n\n"
        "## Repeat\n\n## Repeat\n",
        encoding="utf-8",
    )
    page = tmp_path / "README.md"
    page.write_text(
        "# Page\n\n"
        "[fine](docs/other.md)"
        " [fine too](docs/other.md#keeping-the-widgets-look-an-id-weighted-root)\n"
        "[second repeat](docs/other.md#repeat-1) [here](#page) [web](https://example.org/x.md)\n"
        "`[in code](missing.md)`\n\n"
        "```\n[in a block](missing.md)\n```\n\n"
        "[gone](docs/missing.md)\n"
        "[no anchor](docs/other.md#nowhere)\n"
        "[outside](../elsewhere/notes.md)\n",
        encoding="utf-8",
    )
    assert problems(page, tmp_path) == [
        "README.md:11: docs/missing.md: no such file",
        "README.md:12: docs/other.md#nowhere: no heading with that anchor",
        "README.md:13: ../elsewhere/notes.md leads outside the repository",
    ]
