"""First steps from a fresh clone: the example site explains what it needs, never a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.browser.hosts import ROOT, examples_serve


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_examples_serve_without_htmx_or_service_explains_and_serves(
    tmp_path: Path, monkeypatch
) -> None:
    # A clone before `npm ci`, with no service running.
    monkeypatch.setattr(
        examples_serve,
        "VENDOR",
        {k: tmp_path / "htmx2" / "dist" / "x.js" for k in examples_serve.VENDOR},
    )
    notes = examples_serve.first_steps(f"http://127.0.0.1:{_free_port()}")
    assert any("npm ci" in note for note in notes)
    assert any("scripts/serve" in note for note in notes)
    server = examples_serve.start_in_thread(ROOT / "examples", "http://127.0.0.1:9")
    try:
        try:
            urllib.request.urlopen(f"{server.origin}/vendor/htmx2/htmx.min.js", timeout=5)
            raise AssertionError("a missing htmx must be a 404")
        except urllib.error.HTTPError as error:
            assert error.code == 404
        with urllib.request.urlopen(f"{server.origin}/iframe.html", timeout=5) as page:
            assert page.status == 200
    finally:
        server.shutdown()
        server.server_close()


def test_examples_serve_on_a_busy_port_is_one_clear_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "serve.py"), "--port", str(port),
             "--widget-origin", "http://127.0.0.1:9"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert f"Cannot listen on 127.0.0.1:{port}" in run.stderr


def test_scripts_serve_takes_its_port_from_port() -> None:
    script = (ROOT / "scripts" / "serve").read_text(encoding="utf-8")
    assert '--port "${PORT:-5000}"' in script
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "PORT=8080 scripts/serve" in readme
    testing = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    assert "pip install -e '.[audit]'" in testing


def test_a_failing_theme_at_start_up_is_one_clear_line(tmp_path: Path) -> None:
    registry = tmp_path / "partners.yaml"
    registry.write_text(
        "partners:\n  - id: pale-clinic\n    name: Pale Clinic\n"
        '    origins: ["https://pale.example"]\n    theme:\n      brand: "#6fa8dc"\n',
        encoding="utf-8",
    )
    run = subprocess.run(
        [str(Path(sys.executable).with_name("flask")), "--app", "widget", "routes"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "WIDGET_PARTNERS_FILE": str(registry),
             "WIDGET_REQUEST_LOG": "false", "WIDGET_SECRET_KEY": "x"},
    )  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("Care Widgets cannot start: ")
    assert "partner 'pale-clinic'" in line
    assert "brand #6fa8dc on background #ffffff (links and outlined buttons)" in line
    assert "needs 4.5:1" in line
