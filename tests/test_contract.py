"""The public URL contract (openapi.yaml), as a partner's page or a script meets it."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import FRAME, HTMX, fragment_root, parse
from widget.phone import spaced

BANNER_URLS = [
    "/widgets/helpline-banner",
    "/widgets/helpline-banner?variant=full",
    "/widgets/helpline-banner?variant=compact",
    "/widgets/helpline-banner?variant=crisis",
]


@pytest.mark.parametrize("url", BANNER_URLS)
def test_htmx_request_gets_the_fragment_alone(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<!doctype" not in html.lower()
    root = fragment_root(html)
    assert root["data-widget"] == "helpline-banner"
    assert root["lang"] == "en"
    assert root["dir"] == "ltr"


@pytest.mark.parametrize("url", BANNER_URLS)
def test_iframe_request_gets_a_whole_document(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers=FRAME)
    assert response.status_code == 200
    soup = parse(response.get_data(as_text=True))
    assert soup.html["lang"] == "en"
    assert soup.html["dir"] == "ltr"
    assert soup.title.string.strip() == "Free, confidential help lines – Care Widgets"
    stylesheet = soup.find("link", rel="stylesheet")
    assert stylesheet["href"] == "/static/widgets.css"
    assert soup.body.find(attrs={"data-widget": "helpline-banner"}) is not None
    # The iframe document adds no main landmark: the host page has its own.
    assert soup.find("main") is None


def test_spanish_document_is_titled_and_tagged_in_spanish(client: FlaskClient) -> None:
    response = client.get("/widgets/helpline-banner?lang=es")
    soup = parse(response.get_data(as_text=True))
    assert soup.html["lang"] == "es"
    assert soup.title.string.strip() == "Líneas de ayuda gratuitas y confidenciales – Care Widgets"
    assert response.headers["Content-Language"] == "es"


@pytest.mark.parametrize("headers", [{}, HTMX, FRAME])
def test_every_widget_answer_varies_on_htmx_frame_and_language(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.get("/widgets/helpline-banner", headers=headers)
    vary = {item.strip() for item in response.headers["Vary"].split(",")}
    assert {"HX-Request", "Sec-Fetch-Dest", "Accept-Language"} <= vary
    assert response.headers["Content-Language"] == "en"


def test_stylesheet_is_served(client: FlaskClient) -> None:
    with client.get("/static/widgets.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        assert ".cw-actions" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "url", "headers"),
    [
        ("GET", "/widgets/helpline-banner", {}),
        ("GET", "/widgets/helpline-banner?lang=es", HTMX),
        ("GET", "/widgets/helpline-banner?variant=nope", {}),
        ("GET", "/no/such/page", {}),
        ("POST", "/widgets/helpline-banner", {}),
        ("OPTIONS", "/widgets/helpline-banner", {"Origin": "https://clinic.example"}),
        ("GET", "/static/widgets.css", {}),
        ("GET", "/healthz", {}),
    ],
)
def test_no_answer_ever_sets_a_cookie(
    client: FlaskClient, method: str, url: str, headers: dict[str, str]
) -> None:
    with client.open(url, method=method, headers=headers) as response:
        assert "Set-Cookie" not in response.headers


def test_cors_preflight_allows_every_htmx_header(client: FlaskClient) -> None:
    response = client.options(
        "/widgets/helpline-banner",
        headers={
            "Origin": "https://clinic.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "hx-request, hx-current-url, hx-target",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    allowed = {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }
    required = {
        "hx-request",
        "hx-current-url",
        "hx-target",
        "hx-trigger",
        "hx-trigger-name",
        "hx-boosted",
        "hx-request-type",
        "hx-source",
    }
    assert required <= allowed
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    # No credentials: the service never uses cookies.
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cross_origin_get_is_granted_without_credentials(client: FlaskClient) -> None:
    response = client.get(
        "/widgets/helpline-banner", headers={**HTMX, "Origin": "https://clinic.example"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("url", ["/widgets/helpline-banner", "/static/widgets.css"])
def test_cors_grant_does_not_depend_on_the_request(client: FlaskClient, url: str) -> None:
    # A cache that keeps one copy must serve every partner alike.
    with client.get(url) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("query", "lang", "message"),
    [
        ("variant=huge", "en", "“variant” must be one of: full, compact, crisis."),
        ("variant=FULL", "en", "“variant” must be one of: full, compact, crisis."),
        ("heading=1", "en", "The heading level must be a whole number from 2 to 6."),
        ("heading=7", "en", "The heading level must be a whole number from 2 to 6."),
        ("heading=two", "en", "The heading level must be a whole number from 2 to 6."),
        ("heading=%EF%BC%93", "en", "The heading level must be a whole number from 2 to 6."),
        ("heading=3.0", "en", "The heading level must be a whole number from 2 to 6."),
        ("heading=-2", "en", "The heading level must be a whole number from 2 to 6."),
        ("variant=huge", "es", "«variant» debe ser uno de estos valores: full, compact, crisis."),
        ("heading=9", "es", "El nivel de encabezado debe ser un número entero del 2 al 6."),
    ],
)
def test_malformed_parameter_is_a_localized_400(
    client: FlaskClient, query: str, lang: str, message: str
) -> None:
    for headers in ({}, HTMX):
        response = client.get(f"/widgets/helpline-banner?{query}&lang={lang}", headers=headers)
        assert response.status_code == 400
        assert response.headers["Content-Language"] == lang
        html = response.get_data(as_text=True)
        assert message in parse(html).get_text()
        assert "Traceback" not in html


def test_400_fragment_is_safe_to_swap_into_a_host_page(client: FlaskClient) -> None:
    response = client.get("/widgets/helpline-banner?heading=8", headers=HTMX)
    root = fragment_root(response.get_data(as_text=True))
    assert root.name == "section"
    assert root["data-widget"] == "error"
    assert root["lang"] == "en"
    heading = root.find("h2")
    assert heading.get_text() == "This widget could not be shown"
    assert root["aria-labelledby"] == heading["id"]
    # Even an error keeps the crisis line one tap away.
    assert root.find("a", href="tel:988").get_text() == spaced("988")


@pytest.mark.parametrize(("headers", "level"), [({}, "h1"), (FRAME, "h2")])
def test_unknown_path_is_a_localized_404(
    client: FlaskClient, headers: dict[str, str], level: str
) -> None:
    spanish = {"Accept-Language": "es-MX,es;q=0.9", **headers}
    response = client.get("/widgets/nothing-here", headers=spanish)
    assert response.status_code == 404
    soup = parse(response.get_data(as_text=True))
    assert soup.html["lang"] == "es"
    # A direct visit is a page of its own (h1); in a frame it keeps the host's level.
    assert soup.find(level).get_text() == "No se encontró"


def test_error_heading_follows_a_valid_heading_parameter(client: FlaskClient) -> None:
    response = client.get("/widgets/helpline-banner?variant=x&heading=4", headers=HTMX)
    assert fragment_root(response.get_data(as_text=True)).find("h4") is not None


def test_wrong_method_is_a_localized_405_that_names_what_is_allowed(client: FlaskClient) -> None:
    response = client.post("/widgets/helpline-banner?lang=es", headers=HTMX)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Esta solicitud no está permitida" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/widgets/helpline-banner?lang=%00",
        "/widgets/helpline-banner?lang=" + "x" * 5000,
        "/widgets/helpline-banner?lang=<script>alert(1)</script>",
        "/widgets/helpline-banner?variant=<b>x</b>",
        "/widgets/helpline-banner?heading=%F0%9F%98%80",
        "/widgets/helpline-banner?heading=99999999999999999999999",
        "/widgets/helpline-banner/../../etc/passwd",
        "/widgets/helpline-banner?variant=compact&variant=crisis",
    ],
)
def test_hostile_input_never_yields_a_500_or_reflects_markup(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers={"Accept-Language": "\x00;;q=abc,*"})
    assert response.status_code < 500
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<b>x</b>" not in html


def test_healthz_reports_ok_as_json(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


@pytest.mark.parametrize(
    "url",
    ["/widgets/helpline-banner", "/widgets/substance-summary/kratom", "/widgets/feedback-form"],
)
def test_documents_carry_a_strict_csp_and_privacy_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "default-src 'none'" in csp
    # Following a link to a help site tells it nothing about the page visited.
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("method", "url", "headers"),
    [
        ("GET", "/widgets/helpline-banner", HTMX),
        ("GET", "/static/widgets.css", {}),
        ("GET", "/static/embed.js", {}),
        ("GET", "/healthz", {}),
        ("GET", "/oembed?url=http://localhost/widgets/helpline-banner", {}),
        ("GET", "/embed", {}),
        ("GET", "/gallery", {}),
        ("GET", "/nowhere", {}),
        ("POST", "/widgets/feedback-form", {}),
        ("OPTIONS", "/widgets/helpline-banner", {"Origin": "https://a.example",
                                                  "Access-Control-Request-Method": "GET"}),
        ("DELETE", "/widgets/helpline-banner", {}),
    ],
)  # fmt: skip
def test_every_answer_carries_the_security_headers_and_no_cookie(
    client: FlaskClient, method: str, url: str, headers: dict
) -> None:
    response = client.open(url, method=method, headers=headers)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers
