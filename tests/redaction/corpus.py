"""The redaction corpora and how a redactor is scored against them.

Run ``python -m tests.redaction.corpus`` to print the rates of the current
redactor, or ``--redactor path/to/redact.py`` to score another file that
defines ``redact`` (such as the redactor of an earlier release).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).parent
LANGUAGES = ("en", "es", "zh-Hans", "zh-Hant", "vi", "tl", "ko", "ar", "ru", "fr", "de", "pt")


@dataclass(frozen=True)
class Case:
    """A comment with one personal datum in it."""

    language: str
    kind: str  # "phone/spelled-out"
    comment: str
    datum: str  # the personal datum, exactly as typed in the comment

    @property
    def label(self) -> str:
        """The placeholder the datum should become."""
        return "[" + self.kind.split("/")[0] + "]"

    @property
    def expected(self) -> str:
        """The comment with the datum, and nothing else, replaced."""
        return self.comment.replace(self.datum, self.label, 1)


def personal_data() -> list[Case]:
    """Every case of personal_data.yaml."""
    with (HERE / "personal_data.yaml").open(encoding="utf-8") as handle:
        return [Case(*row) for row in yaml.safe_load(handle)["cases"]]


def ordinary_comments() -> list[tuple[str, str]]:
    """Every (language, comment) of ordinary_comments.yaml."""
    with (HERE / "ordinary_comments.yaml").open(encoding="utf-8") as handle:
        return [tuple(row) for row in yaml.safe_load(handle)["cases"]]


@dataclass
class Score:
    """How a redactor did on the corpora."""

    missed: list[tuple[Case, str]]  # (case, what the redactor returned)
    false_positives: list[tuple[str, str, str]]  # (language, comment, returned)
    by_kind: dict[str, list[int]]  # kind -> [passed, total]
    by_language: dict[str, list[int]]

    @property
    def rate(self) -> float:
        """The share of personal-data cases redacted exactly."""
        passed = sum(p for p, _ in self.by_language.values())
        total = sum(t for _, t in self.by_language.values())
        return passed / total


def score(redact: Callable[[str], object]) -> Score:
    """Run ``redact`` over both corpora."""
    result = Score([], [], defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0]))
    for case in personal_data():
        returned = redact(case.comment).text  # type: ignore[attr-defined]
        passed = returned == case.expected
        for key, table in ((case.kind, result.by_kind), (case.language, result.by_language)):
            table[key][0] += passed
            table[key][1] += 1
        if not passed:
            result.missed.append((case, returned))
    for language, comment in ordinary_comments():
        returned = redact(comment).text  # type: ignore[attr-defined]
        if returned != comment:
            result.false_positives.append((language, comment, returned))
    return result


def report(result: Score) -> str:
    """The rates by class and by language, as a printable table."""
    lines = [f"overall: {result.rate:.1%} of {sum(t for _, t in result.by_kind.values())} cases"]
    classes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, (passed, total) in result.by_kind.items():
        classes[kind.split("/")[0]][0] += passed
        classes[kind.split("/")[0]][1] += total
    for title, table in (("class", classes), ("kind", result.by_kind)):
        lines.append(f"by {title}:")
        lines += [f"  {k:<28} {p:>3}/{t:<3} {p / t:6.1%}" for k, (p, t) in sorted(table.items())]
    lines.append("by language:")
    for language in LANGUAGES:
        passed, total = result.by_language.get(language, [0, 0])
        lines.append(f"  {language:<28} {passed:>3}/{total:<3} {passed / max(total, 1):6.1%}")
    lines.append(f"false positives: {len(result.false_positives)} of {len(ordinary_comments())}")
    return "\n".join(lines)


def _load(path: str) -> Callable[[str], object]:
    spec = importlib.util.spec_from_file_location("redactor_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.redact


def main() -> None:
    """Print the rates, the misses and the false positives."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redactor", help="a redact.py file to score instead of ours")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    if args.redactor:
        redact = _load(args.redactor)
    else:
        from widget.feedback.redact import redact
    result = score(redact)
    print(report(result))
    for language, comment, returned in result.false_positives:
        print(f"  FALSE POSITIVE [{language}] {comment!r} -> {returned!r}")
    if args.misses:
        for case, returned in result.missed:
            print(f"  MISS [{case.language} {case.kind}] {case.comment!r} -> {returned!r}")


if __name__ == "__main__":
    main()
