"""ARIA snapshot golden files: the role and name tree a screen reader meets, kept as reviewed text.

The files live in tests/browser/aria/, one per widget × example × locale
(`helpline-banner.crisis.ar.yaml`). After a deliberate change regenerate them
with `UPDATE_ARIA_SNAPSHOTS=1 scripts/test tests/browser/test_matrix.py -k iframe`
and review the diff as you would review copy. They hold the widget as a host
page embeds it (its top heading at the level the host asked for); a direct
visit's standalone page shows the same tree with the top heading at level 1.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

GOLDEN_DIR = Path(__file__).with_name("aria")
UPDATE = os.environ.get("UPDATE_ARIA_SNAPSHOTS") == "1"


def normalize(snapshot: str) -> str:
    """What stays the same from run to run: no free ports, instance ids or tokens."""
    snapshot = re.sub(r"\bcw-[0-9a-f]{8}\b", "cw-ID", snapshot)
    snapshot = re.sub(r"http://127\.0\.0\.1:\d+", "http://SERVICE", snapshot)
    snapshot = re.sub(r"entry=[\w.-]+", "entry=TOKEN", snapshot)
    return snapshot + "\n"


def as_embedded(snapshot: str, top_level: int) -> str:
    """A standalone page's widget tree with its headings moved to where an embed puts them.

    On a direct visit the widget's top heading is the page's h1; embedded, it
    is at `top_level` (the `heading` parameter). Every heading moves by the
    same amount, so the outline below the top is compared too.
    """
    shift = top_level - 1
    return re.sub(r"\[level=(\d)\]", lambda m: f"[level={int(m.group(1)) + shift}]", snapshot)


def golden_name(example_id: str, locale: str) -> str:
    return f"{example_id}.{locale}.yaml"


def check(snapshot: str, name: str, write: bool = UPDATE) -> None:
    """Compare with the reviewed golden file (or write it when regenerating)."""
    snapshot = normalize(snapshot)
    golden = GOLDEN_DIR / name
    if write:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(snapshot, encoding="utf-8")
    assert golden.exists(), f"no reviewed snapshot {golden.name}: run with UPDATE_ARIA_SNAPSHOTS=1"
    assert snapshot == golden.read_text(encoding="utf-8"), f"{name} differs from the reviewed text"
