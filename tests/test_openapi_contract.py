"""openapi.yaml is the public contract v1: valid, complete, and what the service does.

- The spec is valid OpenAPI 3.1 and describes every route Flask serves (the two left out
  on purpose are named in UNDESCRIBED, with the reason), so it cannot drift from the code.
- schemathesis generates requests from the spec (examples, boundary and negative cases,
  then random ones) and sends them over real HTTP to the service running on 127.0.0.1;
  every answer must be no server error and match the documented status codes, content
  types, headers and (JSON) bodies.
- A method an address does not describe is a 405 whose Allow header lists exactly what
  the spec describes.

Budget and reproducibility: tests/openapi_fuzzing.py (profiles).
"""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
import yaml
from flask import Flask
from hypothesis import settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import WSGIRequestHandler, make_server

import tests.openapi_fuzzing  # noqa: F401  (loads the Hypothesis profile)
from widget import create_app

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))

# Flask endpoints the public contract leaves out, and why.
UNDESCRIBED = {
    # The editors' report answers 404 to anyone without its token so that its existence
    # is not advertised; a public description would advertise it.
    "feedback_report.report": "/feedback/report",
    # The static folder as a whole is not a contract: only the two files partners
    # include are, and the spec describes those by name.
    "static": "/static/<path:filename>",
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# The coverage phase adds its own deterministic cases (boundaries, every enum value,
# negative values) for each operation; random fuzzing gets a quarter of a property
# test's budget on top.
FUZZ_EXAMPLES = max(5, settings.default.max_examples // 4)

schema = schemathesis.openapi.from_path(SPEC_PATH)


class QuietHandler(WSGIRequestHandler):
    """The development server's handler without a log line per request."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """The service on 127.0.0.1 at a free port with its own SQLite file; stopped at the end."""
    folder = tmp_path_factory.mktemp("openapi-contract")
    app = create_app(
        {
            "SECRET_KEY": "contract-secret",
            "DATABASE_URL": f"sqlite:///{folder / 'feedback.sqlite3'}",
            "RATE_LIMIT": "off",
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    app.extensions["care_widgets.db"].engine.dispose()


@pytest.fixture(scope="module")
def service_url(service: tuple[Flask, str]) -> str:
    return service[1]


@pytest.fixture(scope="module")
def http_session() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def fresh_token(session: requests.Session, base_url: str) -> str:
    """The signed token of a newly shown form, as a browser would take it."""
    html = session.get(f"{base_url}/widgets/feedback-form", headers={"HX-Request": "true"}).text
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "the form carries a token"
    return found.group(1)


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES)
def test_service_keeps_the_contract(
    case: schemathesis.Case, service_url: str, http_session: requests.Session
) -> None:
    if case.method == "POST" and isinstance(case.body, dict) and "token" in case.body:
        # The spec can only say "a string"; a real token lets generated submissions get
        # past the token check to storage, the 303 and the next step. A body without a
        # token still tests the rejection.
        case.body["token"] = fresh_token(http_session, service_url)
    response = case.call(base_url=service_url, session=http_session)
    checks = CHECKS
    if case.operation.path == "/oembed" and response.status_code == 501:
        # oEmbed's own rule: a format the provider does not offer is a 501, not a fault.
        assert (case.query or {}).get("format") not in (None, "", "json"), case.query
        checks = [check for check in CHECKS if check is not not_a_server_error]
    case.validate_response(response, checks=checks)


# -- the spec itself ---------------------------------------------------------------------


def test_spec_is_valid_openapi_3_1() -> None:
    assert SPEC["openapi"].startswith("3.1."), SPEC["openapi"]
    validate(SPEC)
    schema.validate()  # schemathesis's own reading of the same document


def _template(path: str) -> str:
    """A path with its variables blanked, so Flask's <x> and OpenAPI's {x} compare."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def described_methods() -> dict[str, set[str]]:
    """Per path template, the methods the spec describes (upper case)."""
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return {
        _template(path): {name.upper() for name in item if name in methods}
        for path, item in SPEC["paths"].items()
    }


def served_methods(app: Flask) -> dict[str, set[str]]:
    """Per path template, the methods Flask routes (HEAD and OPTIONS come with every rule)."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNDESCRIBED:
            continue
        routes.setdefault(_template(rule.rule), set()).update(rule.methods or ())
    return routes


def test_every_route_is_described_with_its_methods(service: tuple[Flask, str]) -> None:
    app, _ = service
    described = described_methods()
    for path, methods in served_methods(app).items():
        assert path in described, f"{path} is served but not described in openapi.yaml"
        assert methods - {"HEAD", "OPTIONS"} == described[path] - {"OPTIONS"}, path
    served_rules = {_template(rule.rule) for rule in app.url_map.iter_rules()}
    for path in described:
        if path.startswith("/static/"):
            # Described by name: the file must exist where the static route serves it.
            assert (Path(app.static_folder) / path.removeprefix("/static/")).is_file(), path
        else:
            assert path in served_rules, f"{path} is described but no route serves it"
    for endpoint, rule in UNDESCRIBED.items():
        assert endpoint in app.view_functions, f"{endpoint} ({rule}) no longer exists"


def test_every_widget_address_describes_its_preflight() -> None:
    for path, item in SPEC["paths"].items():
        if path.startswith("/widgets/"):
            assert "options" in item, f"{path}: htmx requests cross-origin get a preflight"


def _concrete(path: str) -> str:
    return path.replace("{slug}", "kratom")


@pytest.mark.parametrize("path", sorted(SPEC["paths"]))
def test_methods_not_described_are_a_405_naming_those_that_are(service_url: str, path: str) -> None:
    described = described_methods()[_template(path)]
    allowed = described | {"HEAD", "OPTIONS"}
    component = SPEC["components"]["responses"]["MethodNotAllowed"]
    host, port = service_url.removeprefix("http://").split(":")
    for method in sorted({"GET", "POST", "PUT", "DELETE", "PATCH"} - described):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request(method, _concrete(path))
            response = connection.getresponse()
            body = response.read().decode()
        finally:
            connection.close()
        assert response.status == 405, f"{method} {path}: {response.status}"
        listed = {name.strip() for name in response.getheader("Allow", "").split(",")}
        assert listed == allowed, f"{method} {path}: Allow {listed}, described {allowed}"
        assert response.getheader("Content-Type", "").split(";")[0] in component["content"]
        assert "Traceback" not in body
