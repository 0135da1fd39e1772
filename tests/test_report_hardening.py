"""/feedback/report is for staff in a browser tab: guarded, never shared with other sites.

Wrong tokens are throttled (429), a short token stops start-up with one line,
no origin is ever granted CORS on it and no page may frame it. Partner lookup
belongs to the widgets: an unknown `partner` on the report, the health check
or the gallery changes nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from widget import create_app
from widget.feedback.report import ConfigurationError

TOKEN = "a-long-report-token-that-nobody-guesses-2026"
ROOT = Path(__file__).resolve().parent.parent


def test_wrong_tokens_are_throttled_then_even_the_right_one_waits(make_app) -> None:
    client = make_app(REPORT_TOKEN=TOKEN).test_client()
    statuses = [client.get(f"/feedback/report?token=guess-{n}").status_code for n in range(10)]
    assert statuses == [404] * 10
    refused = client.get("/feedback/report?token=guess-11&lang=es")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert "Demasiadas solicitudes" in refused.get_data(as_text=True)
    # The right token from the same client waits its turn as well.
    assert (
        client.get("/feedback/report", headers={"Authorization": f"Bearer {TOKEN}"}).status_code
        == 429
    )


def test_another_client_is_not_held_back_by_a_guesser(make_app) -> None:
    client = make_app(REPORT_TOKEN=TOKEN).test_client()
    for n in range(11):
        client.get(f"/feedback/report?token=guess-{n}")
    other = {"REMOTE_ADDR": "198.51.100.20"}
    response = client.get(f"/feedback/report?token={TOKEN}", environ_base=other)
    assert response.status_code == 200


def test_a_short_token_stops_the_app_with_one_clear_line(make_app, capsys) -> None:
    with pytest.raises(ConfigurationError) as stopped:
        make_app(REPORT_TOKEN="short-token")
    assert stopped.value.code == 1
    assert "WIDGET_REPORT_TOKEN is 11 characters long; it must have at least 32" in str(
        stopped.value
    )
    assert capsys.readouterr().err.count("WIDGET_REPORT_TOKEN") == 1


@pytest.mark.system
def test_the_production_server_refuses_to_start_with_a_short_token(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WIDGET_")}
    environment.update(
        WIDGET_REPORT_TOKEN="tooshort",
        WIDGET_SECRET_KEY="x",
        WIDGET_DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        BIND="127.0.0.1:0",
        WEB_CONCURRENCY="1",
    )
    finished = subprocess.run(
        [str(ROOT / "scripts" / "serve-production")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0
    assert "Traceback" not in finished.stderr
    lines = [line for line in finished.stderr.splitlines() if "WIDGET_REPORT_TOKEN" in line]
    assert len(lines) == 1 and "at least 32" in lines[0]


def test_the_report_grants_no_origin_and_may_not_be_framed(make_app) -> None:
    client = make_app(REPORT_TOKEN=TOKEN).test_client()
    origin = {"Origin": "https://clinic.example"}
    for response in (
        client.get(f"/feedback/report?token={TOKEN}", headers=origin),
        client.get("/feedback/report?token=wrong", headers=origin),
        client.options(
            "/feedback/report", headers={**origin, "Access-Control-Request-Method": "GET"}
        ),
    ):
        assert "Access-Control-Allow-Origin" not in response.headers
        if response.mimetype == "text/html":
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    # Widgets keep their open grant.
    widget = client.get("/widgets/helpline-banner", headers=origin)
    assert widget.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("path", "status"),
    [("/healthz", 200), ("/gallery", 200), ("/feedback/report", 404)],
)
def test_an_unknown_partner_outside_the_widgets_changes_nothing(
    make_app, path: str, status: int
) -> None:
    client = make_app(REPORT_TOKEN=TOKEN).test_client()
    assert client.get(f"{path}?partner=anything-unknown").status_code == status


def test_an_unknown_partner_on_a_theme_stylesheet_changes_nothing(tmp_path: Path) -> None:
    registry = ROOT / "examples" / "partners.yaml"
    if not registry.exists():
        pytest.skip("the example partner registry is missing")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "PARTNERS_FILE": str(registry),
        }
    )
    client = app.test_client()
    partner = next(iter(app.extensions["care_widgets.partners"].partners))
    assert client.get(f"/partners/{partner}/theme.css?partner=anything-unknown").status_code == 200
    # A widget still refuses an unknown partner: its embed code is wrong.
    assert client.get("/widgets/helpline-banner?partner=anything-unknown").status_code == 400
