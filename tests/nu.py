"""The W3C Nu HTML Checker (vnu-jar from the npm registry) over every answer the service sends.

`every_answer(app)` renders each documented example of each widget in every
locale three ways (the htmx fragment, the iframe document, the standalone
page of a direct visit), each step of the feedback form, the form's 422 and
the error widgets; `check(files)` runs the checker once over all of them
(one JVM) and returns its errors. A fragment is checked inside a minimal page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from flask import Flask

from widget.components import example_url, load_components
from widget.feedback.tokens import entry_token
from widget.locales import KNOWN_LOCALES

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARRIVALS = {
    "fragment": {"HX-Request": "true"},
    "frame": {"Sec-Fetch-Dest": "iframe"},
    "page": {"Sec-Fetch-Dest": "document"},
}
WRAPPER = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    "<title>A host page</title>\n</head>\n<body>\n{}\n</body>\n</html>\n"
)


def java() -> str | None:
    """The `java` executable, or None where the machine has none."""
    return shutil.which("java")


def _addresses(app: Flask) -> Iterator[str]:
    with app.test_request_context():
        entry = entry_token(1)
    for component in load_components():
        for example in component.examples:
            for lang in KNOWN_LOCALES:
                url = example_url(example, lang=lang)
                if example.state in ("comment", "thanks"):
                    url += f"&state={example.state}&entry={entry}"
                yield url
    for lang in ("en", "ar"):
        yield f"/widgets/nothing-here?lang={lang}"
        yield f"/widgets/helpline-banner?variant=wide&lang={lang}"


def every_answer(app: Flask, folder: Path) -> list[Path]:
    """Write every answer as an HTML file in `folder`; return the files."""
    client = app.test_client()
    files: list[Path] = []

    def write(name: str, text: str) -> None:
        path = folder / f"{len(files):04d}-{name}.html"
        path.write_text(text, encoding="utf-8")
        files.append(path)

    for url in _addresses(app):
        for arrival, headers in ARRIVALS.items():
            body = client.get(url, headers=headers).get_data(as_text=True)
            write(arrival, WRAPPER.format(body) if arrival == "fragment" else body)
    form = client.get("/widgets/feedback-form?lang=ar", headers=ARRIVALS["page"]).text
    token = form.split('name="token" value="', 1)[1].split('"', 1)[0]
    for arrival, headers in ARRIVALS.items():
        rejected = client.post(
            "/widgets/feedback-form?lang=ar",
            data={"token": token, "helpful": "yes", "comment": "x" * 120},
            headers=headers,
        ).get_data(as_text=True)
        write(
            f"rejected-{arrival}", WRAPPER.format(rejected) if arrival == "fragment" else rejected
        )
    write("builder", client.get("/embed?widget=helpline-banner&widget=feedback-form").text)
    write("theme", client.get("/embed/theme?brand=%236fa8dc&radius=9in&lang=ar").text)
    return files


def check(files: list[Path]) -> list[str]:
    """Every error the Nu checker reports, as 'file:line: message' lines."""
    run = subprocess.run(
        [java() or "java", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
         *map(str, files)],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    report = json.loads(run.stderr or run.stdout)
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"]
        if m["type"] == "error"
    ]
