"""Generated hostile input on every route: never a 5xx, never a stack trace, never raw markup.

tests/test_hostile_input.py holds hand-picked cases; this file is its generative layer:
Hypothesis builds query strings, paths, headers and form posts out of huge strings, odd
Unicode (right-to-left marks, combining marks, private-use and non-characters), control
characters and NUL, percent-encoding and path-traversal tricks and repeated parameters,
and every answer must stay calm. Generated markup carries the marker MARK, so reflected
input is found wherever it lands: raw ``<MARK``, ``"MARK`` or ``'MARK`` in a body means
a value broke out of its text or attribute.

Budget and reproducibility: tests/openapi_fuzzing.py (profiles).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import example, given
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.test import TestResponse

import tests.openapi_fuzzing  # noqa: F401  (loads the Hypothesis profile)
from widget import create_app
from widget.db import database
from widget.feedback.models import Feedback

MARK = "zqcwmark"
# Values that try to become markup or leave an attribute; each carries MARK right
# after the character that would do the harm.
MARKUP = (
    f"<{MARK}>",
    f"<script>{MARK}</script>",
    f'"{MARK}="1',
    f"'{MARK}='1",
    f'"><{MARK} onx=1>',
    f"</textarea><{MARK}>",
    f"--><{MARK}>",
    f"]]><{MARK}>",
    f"javascript:<{MARK}>",
)
BROKEN_OUT = re.compile(rf"[<\"']{MARK}")

SPECIALS = (
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066\u2069",  # isolates
    "\u0301\u0301\u0301",  # combining acute accents with nothing to sit on
    "e\u0308\u20dd",  # combining diaeresis and enclosing circle
    "\u200b\u200d\ufeff",  # zero-width space, joiner, byte order mark
    "\ufffe\uffff\ufdd0",  # non-characters
    "\U0010fffd\U000e0001",  # private use plane 16, language tag
    "\x00",
    "\r\n",
    "\x1b[31m",
    "\x7f\x85",
    "İı",  # case folding that changes length
    "ﬀ",  # compatibility ligature (NFKC changes it)
    "٣",  # Arabic-Indic digit three
    "²",  # superscript two: isdigit() but not a decimal
)
# Inserted into a query string or path as they are, never percent-encoded again.
PERCENT_TRICKS = (
    "%00",
    "%",
    "%%",
    "%zz",
    "%2",
    "%2e%2e%2f",
    "%252e%252e%252f",
    "%c0%ae%c0%ae/",
    "%e2%80%ae",
    "%ff%fe",
    "%u002e",
    "+",
    "&",
    "=",
    ";",
    "&&==",
    "%26lang%3Dar",
)
TRAVERSAL = ("../", "..\\", "..", ".", "//", "/./", "\\\\", "..%2f", "%2e%2e/", "....//", "/")

# Every query parameter a route reads, and names Flask's url_for treats as its own.
KNOWN_PARAMETERS = (
    "lang",
    "heading",
    "variant",
    "switcher",
    "collapsible",
    "page",
    "partner",
    "state",
    "entry",
)
FLASK_KEYWORDS = ("endpoint", "requested", "values", "_external", "_anchor", "_method", "_scheme")
VALID_VALUES = {
    "lang": ("en", "es", "es-MX", "zh-TW", "ar", "pt-BR", "en-XA", "", "*"),
    "heading": ("2", "3", "6", ""),
    "variant": ("full", "compact", "crisis", ""),
    "switcher": ("true", "false", ""),
    "collapsible": ("true", "false", ""),
    "page": ("https://clinic.example.org/help?q=1#top", "http://x", ""),
    "partner": ("riverside", "no-such-partner", ""),
    "state": ("start", "comment", "thanks", ""),
    "entry": ("", "not-a-token"),
}
GET_ROUTES = (
    "/widgets/helpline-banner",
    "/widgets/substance-summary",
    "/widgets/substance-summary/kratom",
    "/widgets/substance-summary/special-k",
    "/widgets/substance-summary/no-such-substance",
    "/widgets/feedback-form",
    "/healthz",
)
FORM = "/widgets/feedback-form"

# -- strategies ------------------------------------------------------------------------

# Any Unicode scalar value: surrogates cannot be sent in UTF-8 at all.
any_text = st.text(st.characters(codec="utf-8"), max_size=40)
odd_text = st.text(
    st.characters(categories=["Cc", "Cf", "Co", "Mn", "Me", "Zl", "Zp", "Zs", "Cn"], codec="utf-8"),
    max_size=12,
)
huge_text = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["a", "%", "é", "<", "\u202e", "9", "../", "\x00"]),
    st.integers(min_value=1_000, max_value=10_000),
)
hostile_text = (
    st.lists(
        st.one_of(
            any_text,
            odd_text,
            st.sampled_from(SPECIALS),
            st.sampled_from(MARKUP),
            st.sampled_from(TRAVERSAL),
            st.sampled_from(PERCENT_TRICKS),
        ),
        max_size=4,
    ).map("".join)
    | huge_text
)

UNTYPABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@st.composite
def parameter_value(draw: st.DrawFn, name: str) -> str:
    """Mostly a value the parameter takes, often a hostile one."""
    if name in VALID_VALUES and draw(st.booleans()):
        return draw(st.sampled_from(VALID_VALUES[name]))
    return draw(hostile_text)


def encode(text: str, raw: bool) -> str:
    """Percent-encode text for a query string, or leave it as a careless client sends it."""
    return text if raw else quote(text, safe="")


@st.composite
def query_string(draw: st.DrawFn, names: tuple[str, ...] = KNOWN_PARAMETERS) -> str:
    """A query string of known, Flask-internal and made-up names, repeats included."""
    name_pool = st.sampled_from(names) | st.sampled_from(FLASK_KEYWORDS) | hostile_text
    pairs = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        name = draw(name_pool)
        value = draw(parameter_value(name))
        raw = draw(st.sampled_from([False, False, True]))
        pairs.append(f"{encode(name, raw)}={encode(value, raw)}")
    if draw(st.booleans()):
        pairs.append(draw(st.sampled_from(PERCENT_TRICKS)))
    return "&".join(pairs)


def latin1_text(max_size: int) -> st.SearchStrategy[str]:
    """Header text as HTTP carries it: Latin-1 without line breaks."""
    return st.text(
        st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
        max_size=max_size,
    )


accept_language = st.one_of(
    st.sampled_from(
        [
            "es-MX,es;q=0.9,en;q=0.5",
            "ar;q=1e999",
            "zh-Hant-TW;q=0.8,*;q=0.1",
            "*;q=0,en;q=0",
            "\u00e9s;q=nan, ;q=, ,,;",
            "x-" + "a" * 8000,
            ", ".join(f"l{i};q=0.{i % 10}" for i in range(500)),
        ]
    ),
    latin1_text(60),
)
hx_request = st.sampled_from(["true", "TRUE", "True ", " true", "false", "1", "", "tru\u00e9"])
headers = st.fixed_dictionaries(
    {},
    optional={
        "Accept-Language": accept_language,
        "HX-Request": hx_request,
        "HX-Current-URL": latin1_text(60) | st.just("http://x/" + "a" * 4000),
        "HX-Target": latin1_text(30),
        "HX-Trigger": latin1_text(30),
        "Origin": latin1_text(30) | st.just("null"),
        "Referer": latin1_text(60),
        "X-Forwarded-For": latin1_text(30),
        "X-Forwarded-Host": latin1_text(30),
        "Cookie": latin1_text(30),
        "X-Huge": st.just("h" * 16_000),
    },
)

# -- fixtures and checks -----------------------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One service for the module (Hypothesis runs many examples per test)."""
    folder = tmp_path_factory.mktemp("property-input")
    service = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "property-secret",
            "DATABASE_URL": f"sqlite:///{folder / 'feedback.sqlite3'}",
            "RATE_LIMIT": "off",
        }
    )
    yield service
    service.extensions["care_widgets.db"].engine.dispose()


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def assert_calm(response: TestResponse, request: str) -> str:
    """No server error, no stack trace, no generated markup outside escaping; the body."""
    body = response.get_data(as_text=True)
    assert response.status_code < 500, f"{response.status_code} for {request}"
    assert "Traceback" not in body, request
    assert 'File "' not in body, request
    found = BROKEN_OUT.search(body)
    assert found is None, f"raw {found.group()!r} in the answer to {request}"
    assert "Set-Cookie" not in response.headers, request
    return body


def assert_stays_here(location: str, request: str) -> None:
    """A redirect target is one of our own addresses: never another host or scheme."""
    parts = urlsplit(location)
    # Werkzeug's own redirects (merged slashes) are absolute, on the host asked.
    assert parts.scheme in {"", "http"} and parts.netloc in {"", "localhost"}, (
        f"{location!r} leaves the service ({request})"
    )
    assert parts.path.startswith("/widgets/"), f"{location!r} for {request}"


def send(client: FlaskClient, method: str, path: str, request: str, **options) -> TestResponse:
    """The service's answer; a failure naming the request if the service raised instead.

    An exception that escapes the app (its error handlers failed too) is the bare 500
    page of the WSGI server for a real client.
    """
    try:
        return client.open(path, method=method, **options)
    except Exception as error:  # noqa: BLE001 (anything that escapes the app)
        raise AssertionError(f"the service raised {error!r} for {request}") from error


def fresh_token(client: FlaskClient) -> str:
    """The signed token of a newly shown form, as a browser would take it."""
    html = client.get(FORM, headers={"HX-Request": "true"}).get_data(as_text=True)
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "the form carries a token"
    return found.group(1)


# -- GET: every route, every parameter -------------------------------------------------


@given(
    route=st.sampled_from(GET_ROUTES),
    query=query_string(),
    request_headers=headers,
)
@example(route="/widgets/helpline-banner", query=f"variant=%3C{MARK}%3E", request_headers={})
@example(route="/widgets/helpline-banner", query="heading=" + "9" * 4301, request_headers={}).via(
    "more digits than int() converts"
)
@example(
    route="/widgets/substance-summary/no-such-substance",
    query="heading=" + "0" * 5000 + "2",
    request_headers={"HX-Request": "true"},
).via("the same, on the way to a 404")
def test_any_query_and_headers_on_any_route_stay_calm(
    client: FlaskClient, route: str, query: str, request_headers: dict[str, str]
) -> None:
    request = f"GET {route}?{query[:300]} {sorted(request_headers)}"
    response = send(client, "GET", route, request, query_string=query, headers=request_headers)
    assert_calm(response, request)
    expected = {200, 400, 404} if route != "/healthz" else {200}
    if route.endswith("special-k"):
        expected.add(301)
    assert response.status_code in expected, request
    if response.status_code == 301:
        assert_stays_here(response.headers["Location"], request)


# -- oEmbed: any widget address with any language and size ------------------------------

OEMBED_WIDGETS = (
    "/widgets/helpline-banner",
    "/widgets/substance-summary/kratom",
    "/widgets/feedback-form",
)
oembed_lang = (
    st.sampled_from(("es-MX", "zh-TW", "ES", "xx-unknown", "i-klingon"))
    | st.sampled_from(VALID_VALUES["lang"])
    | hostile_text
)
oembed_size = (
    st.text(st.sampled_from("0123456789"), min_size=1, max_size=5000)
    | st.integers(min_value=-10, max_value=200_000).map(str)
    | any_text
)


@given(
    path=st.sampled_from(OEMBED_WIDGETS),
    lang=oembed_lang,
    size=oembed_size,
    which=st.sampled_from(("maxwidth", "maxheight")),
)
@example(path="/widgets/helpline-banner", lang="es-MX", size="300", which="maxwidth").via(
    "a regional tag"
)
@example(path="/widgets/helpline-banner", lang="zh-TW", size="300", which="maxheight").via(
    "a regional tag that names a script"
)
@example(path="/widgets/feedback-form", lang="ES", size="300", which="maxwidth").via(
    "an upper-case tag"
)
@example(
    path="/widgets/substance-summary/kratom", lang="xx-unknown", size="1", which="maxwidth"
).via("an unknown tag")
@example(path="/widgets/helpline-banner", lang="en", size="9" * 4301, which="maxwidth").via(
    "more digits than int() converts, as maxwidth"
)
@example(path="/widgets/helpline-banner", lang="en", size="9" * 4301, which="maxheight").via(
    "more digits than int() converts, as maxheight"
)
def test_any_oembed_request_for_a_widget_stays_calm(
    client: FlaskClient, path: str, lang: str, size: str, which: str
) -> None:
    url = f"http://localhost{path}?lang={quote(lang, safe='')}"
    request = f"GET /oembed url={url[:200]} {which}={size[:40]}"
    response = send(client, "GET", "/oembed", request, query_string={"url": url, which: size})
    assert_calm(response, request)
    assert response.status_code in {200, 400}, request
    if response.status_code == 200:
        assert response.get_json()["type"] == "rich", request


WIDGET_PARAMETERS = {
    "/widgets/helpline-banner": ("lang", "heading", "variant", "switcher", "partner"),
    "/widgets/substance-summary": ("lang", "heading", "collapsible", "switcher", "partner"),
    "/widgets/substance-summary/kratom": ("lang", "heading", "collapsible", "switcher", "partner"),
    "/widgets/feedback-form": ("lang", "heading", "page", "state", "switcher", "partner"),
}


@st.composite
def widget_with_valid_query(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """A widget route and parameters it reads, each with a value it takes."""
    route = draw(st.sampled_from(sorted(WIDGET_PARAMETERS)))
    chosen = draw(st.lists(st.sampled_from(WIDGET_PARAMETERS[route]), unique=True))
    return route, {name: draw(st.sampled_from(VALID_VALUES[name])) for name in chosen}


unread_name = st.sampled_from(FLASK_KEYWORDS) | hostile_text.filter(
    lambda name: name not in KNOWN_PARAMETERS
)


def urlencode_pairs(pairs: list[tuple[str, str]]) -> str:
    """Pairs as a browser encodes a query or form, repeated names kept."""
    return "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs)


@given(
    widget=widget_with_valid_query(),
    extra=st.lists(st.tuples(unread_name, hostile_text), min_size=1, max_size=3),
    htmx=st.booleans(),
)
@example(
    widget=("/widgets/helpline-banner", {"switcher": "true"}), extra=[("endpoint", "x")], htmx=True
).via("the language switcher meets a name url_for takes for itself")
def test_parameters_a_widget_does_not_read_change_nothing(
    client: FlaskClient,
    widget: tuple[str, dict[str, str]],
    extra: list[tuple[str, str]],
    htmx: bool,
) -> None:
    """Partner pages add tracking and cache-busting parameters: whatever their names, the
    widget answers as it does without them."""
    route, known = widget
    base = urlencode_pairs(list(known.items()))
    noise = urlencode_pairs(extra)
    request_headers = {"HX-Request": "true"} if htmx else {}
    request = f"GET {route}?{base}&{noise[:300]} htmx={htmx}"
    plain = send(client, "GET", route, request, query_string=base, headers=request_headers)
    noisy = send(
        client, "GET", route, request, query_string=f"{base}&{noise}", headers=request_headers
    )
    assert_calm(noisy, request)
    assert noisy.status_code == plain.status_code, (
        f"{noisy.status_code} (without the unread parameters {plain.status_code}) for {request}"
    )
    # Once the partner registry lands, an unknown partner id is a 400.
    assert plain.status_code in ({200, 400} if "partner" in known else {200}), request


# -- paths ----------------------------------------------------------------------------

SUBSTANCE_NAMES = ("kratom", "Ketamine", "special-k", "cocaína", "Кратом")

path_segment = (
    st.lists(
        st.one_of(
            any_text,
            odd_text,
            st.sampled_from(SPECIALS),
            st.sampled_from(MARKUP),
            st.sampled_from(TRAVERSAL),
            st.sampled_from(PERCENT_TRICKS),
            st.sampled_from(SUBSTANCE_NAMES),
        ),
        min_size=1,
        max_size=4,
    ).map("".join)
    | huge_text
)


@given(
    segment=path_segment,
    safe=st.sampled_from(["", "/", "%", "/%\\"]),
    htmx=st.booleans(),
)
@example(segment="%2e%2e/%2e%2e/healthz", safe="%/", htmx=False)
@example(segment="..\\..\\widget\\__init__.py", safe="\\", htmx=False)
def test_any_substance_address_is_a_summary_a_redirect_or_a_404(
    app: Flask, client: FlaskClient, segment: str, safe: str, htmx: bool
) -> None:
    path = "/widgets/substance-summary/" + quote(segment, safe=safe)
    request = f"GET {path[:300]}"
    response = send(client, "GET", path, request, headers={"HX-Request": "true"} if htmx else {})
    assert_calm(response, request)
    assert response.status_code in {200, 301, 308, 404}, request
    if response.status_code in {301, 308}:
        assert_stays_here(response.headers["Location"], request)
    if response.status_code == 200:
        # One page per substance: only its own slug answers, every other name redirects.
        requested = unquote(path.removeprefix("/widgets/substance-summary/"))
        assert requested in app.extensions["care_widgets.library"].substances, request


STATIC = Path(__file__).resolve().parents[1] / "static"
STATIC_FILES = {path.read_bytes() for path in STATIC.iterdir() if path.is_file()}


@given(
    prefix=st.sampled_from(
        ["/static/", "/", "//", "/widgets/", "/static//", "/widgets//", "/widgets/x/"]
    ),
    segment=path_segment,
    safe=st.sampled_from(["", "/", "%", "/%\\", "/%\\:@"]),
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    request_headers=headers,
)
@example(
    prefix="/static/", segment="../widget/__init__.py", safe="/", method="GET", request_headers={}
)
@example(
    prefix="/static/", segment="%2e%2e/pyproject.toml", safe="/%", method="GET", request_headers={}
)
@example(
    prefix="/static/", segment="..\\pyproject.toml", safe="\\", method="GET", request_headers={}
)
@example(prefix="/static/", segment="\x00", safe="", method="GET", request_headers={})
@example(prefix="//", segment="./../static/widgets.css", safe="/", method="GET", request_headers={})
def test_unknown_and_static_paths_never_leak_or_fail(
    client: FlaskClient,
    prefix: str,
    segment: str,
    safe: str,
    method: str,
    request_headers: dict[str, str],
) -> None:
    path = prefix + quote(segment, safe=safe)
    request = f"{method} {path[:300]}"
    options: dict[str, object] = {"headers": request_headers}
    if path.startswith("//"):
        # The test client would read "//name/..." as a host; a raw client sends it as the
        # request target, which the server puts into the WSGI environ as it is.
        wsgi_path = unquote_to_bytes(path).decode("latin-1")
        options["environ_overrides"] = {"PATH_INFO": wsgi_path, "REQUEST_URI": path}
        path = "/"
    with send(client, method, path, request, **options) as response:
        assert_calm(response, request)
        if response.request.path.startswith("/static/") and response.status_code == 200:
            # Only our own static files are ever served from there (OPTIONS: an empty grant).
            assert method in {"GET", "HEAD", "OPTIONS"}, request
            if method == "GET":
                assert response.get_data() in STATIC_FILES, request
        if response.status_code in {301, 302, 303, 307, 308}:
            location = response.headers["Location"]
            assert not urlsplit(location).netloc or urlsplit(location).netloc == "localhost", (
                f"{location!r} for {request}"
            )


# -- OPTIONS preflights ------------------------------------------------------------------


@given(
    route=st.sampled_from(GET_ROUTES),
    origin=latin1_text(80),
    method=latin1_text(20) | st.sampled_from(["GET", "POST", "DELETE"]),
    asked=latin1_text(200) | st.just(",".join(["hx-request"] * 400)),
)
def test_any_preflight_is_granted_the_same_way(
    client: FlaskClient, route: str, origin: str, method: str, asked: str
) -> None:
    request_headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": asked,
    }
    request = f"OPTIONS {route} {request_headers!r:.300}"
    response = send(client, "OPTIONS", route, request, headers=request_headers)
    assert_calm(response, request)
    assert response.status_code == 200, request
    # The grant never echoes what was asked: a fixed answer, safe to cache for everyone.
    assert response.headers["Access-Control-Allow-Origin"] == "*", request
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST", request
    assert "HX-Request" in response.headers["Access-Control-Allow-Headers"], request
    assert "Access-Control-Allow-Credentials" not in response.headers, request


# -- POST: the feedback form ------------------------------------------------------------

# Stand-ins the test replaces with real tokens before posting: a random token is only
# ever "forged", which tests/test_feedback_form.py covers.
FRESH_TOKEN = "<fresh form token>"
FRESH_ENTRY = "<entry token of an answer just stored>"
FIELDS = ("helpful", "comment", "page", "token", "entry", "uid", "website")
comment_text = (
    st.text(st.characters(codec="utf-8"), max_size=120)
    | st.lists(st.sampled_from(SPECIALS + MARKUP) | any_text, max_size=5).map("".join)
    | huge_text
)
page_text = (
    st.sampled_from(["https://clinic.example.org/a?b=c#d", "HTTP://x", "", "javascript:alert(1)"])
    | hostile_text
)
FIELD_VALUES = {
    "helpful": st.sampled_from(["yes", "no", "", "YES", "maybe"]),
    "comment": comment_text,
    "page": page_text,
    "token": st.just(FRESH_TOKEN) | hostile_text,
    "entry": st.sampled_from([FRESH_ENTRY, "", "not-a-token"]) | hostile_text,
    "uid": st.sampled_from(["cw-abcdef12", "cw-<zz>", ""]) | hostile_text,
    "website": st.sampled_from(["", "http://spam.example"]),
}


@st.composite
def submission(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Posted fields: often what the form sends, then repeated, unknown or odd fields."""
    fields: list[tuple[str, str]] = []
    if draw(st.booleans()):
        fields += [("token", FRESH_TOKEN), ("uid", "cw-abcdef12"), ("page", draw(page_text))]
        if draw(st.booleans()):
            fields.append(("entry", FRESH_ENTRY))
        else:
            fields.append(("helpful", draw(st.sampled_from(["yes", "no"]))))
        fields.append(("comment", draw(comment_text)))
        fields.append(("website", ""))
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
        fields.append((name, draw(FIELD_VALUES[name])))
    if draw(st.booleans()):
        fields.append((draw(hostile_text), draw(hostile_text)))
    return fields


def fresh_entry(client: FlaskClient) -> str:
    """The entry token the form carries after an answer was stored (under htmx)."""
    response = client.post(
        FORM,
        data={"helpful": "yes", "token": fresh_token(client)},
        headers={"HX-Request": "true"},
    )
    found = re.search(r'name="entry" value="([^"]+)"', response.get_data(as_text=True))
    assert found, "after an answer, the form asks for a comment"
    return found.group(1)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.system)]
)
def post_client(request: pytest.FixtureRequest, client: FlaskClient) -> Iterator[FlaskClient]:
    """A client of a service storing in SQLite, or in PostgreSQL where one runs."""
    if request.param == "sqlite":
        yield client
        return
    url = request.getfixturevalue("postgres_database")
    service = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "property-secret",
            "DATABASE_URL": url,
            "RATE_LIMIT": "off",
        }
    )
    yield service.test_client()
    service.extensions["care_widgets.db"].engine.dispose()


PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    """A fresh database on the running PostgreSQL (skip where none runs), dropped afterwards."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            name = f"care_widgets_property_{secrets.token_hex(6)}"
            admin.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # noqa: BLE001 (any failure means: no PostgreSQL here)
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 (user postgres, database test): {error}")
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def stored_rows(service: Flask) -> int:
    """How many answers the service has stored."""
    with service.app_context():
        with database().session() as session:
            return session.scalar(select(func.count(Feedback.id)))


@given(
    fields=submission(),
    query=query_string(("lang", "heading", "switcher", "partner")),
    htmx=st.booleans(),
    request_headers=headers,
)
@example(
    fields=[("helpful", "yes"), ("comment", "a\x00b"), ("token", FRESH_TOKEN)],
    query="",
    htmx=True,
    request_headers={},
).via("NUL in a comment")
@example(
    fields=[("helpful", "yes"), ("page", "http://" + "a" * 1993), ("token", FRESH_TOKEN)],
    query="",
    htmx=False,
    request_headers={},
).via("a page address of 2000 characters without a path")
@example(
    fields=[("helpful", "no"), ("token", FRESH_TOKEN)],
    query="switcher=yes",
    htmx=True,
    request_headers={},
).via("a malformed switcher on the form's action")
def test_any_feedback_post_is_stored_or_shown_again(
    post_client: FlaskClient,
    fields: list[tuple[str, str]],
    query: str,
    htmx: bool,
    request_headers: dict[str, str],
) -> None:
    service = post_client.application
    real = {FRESH_TOKEN: fresh_token, FRESH_ENTRY: fresh_entry}
    form = [(name, real[value](post_client) if value in real else value) for name, value in fields]
    request_headers = {**request_headers, **({"HX-Request": "true"} if htmx else {})}
    request = f"POST {FORM}?{query[:200]} {form!r:.400} htmx={htmx}"
    rows_before = stored_rows(service)
    response = send(
        post_client,
        "POST",
        FORM,
        request,
        query_string=query,
        data=urlencode_pairs(form),
        content_type="application/x-www-form-urlencoded",
        headers=request_headers,
    )
    html = assert_calm(response, request)
    assert response.status_code in {200, 303, 400, 413, 422}, request
    if response.status_code >= 400:
        assert stored_rows(service) == rows_before, (
            f"{response.status_code} stored a row: {request}"
        )
    if response.status_code == 422:
        # Nothing the visitor typed is lost: the comment comes back, escaped
        # (control characters other than line breaks and tabs, which no one
        # can type or see, are dropped on arrival).
        comments = [value for name, value in form if name == "comment"]
        if comments:
            typed = UNTYPABLE.sub("", comments[0].replace("\r\n", "\n"))
            assert str(escape(typed)) in html, request
    if response.status_code == 303:
        location = response.headers["Location"]
        assert_stays_here(location, request)
        # Post, redirect, get: the address the visitor is sent to must work.
        followed = f"GET {location[:300]} after {request}"
        follow = send(post_client, "GET", location, followed, headers=request_headers)
        assert_calm(follow, followed)
        assert follow.status_code == 200, (
            f"{follow.status_code} for GET {location[:300]} after {request}"
        )
