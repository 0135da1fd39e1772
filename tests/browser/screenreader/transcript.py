"""Transcripts of what a screen reader says, kept as reviewed golden text files.

A transcript is a list of steps: the key a person pressed and what was said
after it, one utterance a line. Golden files live in
`tests/browser/screenreader/transcripts/`; after a deliberate change,
regenerate them with `UPDATE_TRANSCRIPTS=1` and read the diff as you would
read copy. A change in what is spoken fails the test with a unified diff.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

GOLDEN_DIR = Path(__file__).with_name("transcripts")
UPDATE = os.environ.get("UPDATE_TRANSCRIPTS") == "1"
# A hair space between digits is how the widgets ask for a number to be read
# digit by digit; the golden files show it as a middle dot so a reviewer sees it.
HAIR_SPACE = "\u200a"


def normalize(utterance: str) -> str:
    """What stays the same from run to run: no ports, tokens or instance ids."""
    utterance = re.sub(r"http://127\.0\.0\.1:\d+", "http://SERVICE", utterance)
    utterance = re.sub(r"127\.0\.0\.1:\d+", "SERVICE", utterance)
    utterance = re.sub(r"\bcw-[0-9a-f]{8}\b", "cw-ID", utterance)
    return utterance.replace(HAIR_SPACE, "·").rstrip()


@dataclass
class Transcript:
    """What a person did and heard, step by step."""

    title: str
    steps: list[tuple[str, list[str]]] = field(default_factory=list)

    def add(self, action: str, spoken: list[str]) -> list[str]:
        said = [normalize(u) for u in spoken if normalize(u)]
        self.steps.append((action, said))
        return said

    def not_compared(self, action: str, why: str) -> None:
        """A step whose speech varies between runs: named, with the reason, and not compared."""
        self.steps.append((action, [f"(not compared: {why})"]))

    def text(self) -> str:
        lines = [f"# {self.title}"]
        for action, said in self.steps:
            lines.append(f"[{action}]")
            lines.extend(f"  {utterance}" for utterance in said) if said else lines.append(
                "  (silence)"
            )
        return "\n".join(lines) + "\n"

    def spoken(self) -> str:
        """Everything said, as one string, for assertions on content."""
        return "\n".join(u for _, said in self.steps for u in said)


def check(transcript: Transcript, name: str, write: bool = UPDATE) -> None:
    """Compare with the reviewed golden file, or write it when regenerating."""
    golden = GOLDEN_DIR / f"{name}.txt"
    text = transcript.text()
    if write:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no reviewed transcript {golden.name}: run with UPDATE_TRANSCRIPTS=1"
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{golden.name} (reviewed)",
                tofile=f"{golden.name} (spoken now)",
            )
        )
        raise AssertionError(f"what Orca says changed:\n{diff}")
