"""The htmx line of the builder's snippets: a pinned version with the hash of the npm file."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from tests.browser.hosts import ROOT
from widget.embed.snippets import htmx_pins, htmx_script


@pytest.mark.parametrize("key", ["htmx2", "htmx4"])
def test_the_pinned_htmx_is_the_installed_npm_file(key: str) -> None:
    folder = ROOT / "node_modules" / key
    assert folder.is_dir(), "htmx is not installed: run `npm ci`"
    version = json.loads((folder / "package.json").read_text())["version"]
    data = (folder / "dist" / "htmx.min.js").read_bytes()
    expected = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    pin = htmx_pins()[key]
    assert pin["version"] == version, "run scripts/pin-htmx after changing htmx"
    assert pin["integrity"] == expected, "run scripts/pin-htmx after changing htmx"
    assert pin["url"] == f"https://cdn.jsdelivr.net/npm/htmx.org@{version}/dist/htmx.min.js"
    line = htmx_script(key)
    assert f'integrity="{expected}"' in line and 'crossorigin="anonymous"' in line
