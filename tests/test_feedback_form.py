"""The feedback form over HTTP: each state, every way it can go wrong, and what is stored."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.feedback import FORM, fresh_fields, stored
from tests.helpers import HTMX, fragment_root, parse
from widget.feedback.tokens import FORM_SALT

PAGE = "https://clinic.example/help/kratom?utm_source=mail&q=my+name#top"


def test_start_state_asks_the_question_with_yes_and_no(client: FlaskClient) -> None:
    response = client.get(f"{FORM}?page={PAGE}", headers=HTMX)
    root = fragment_root(response.get_data(as_text=True))
    assert root["data-widget"] == "feedback-form"
    assert root.find("h2").get_text() == "Was this page helpful?"
    status = root.find(role="status")
    assert status is not None and status.get_text(strip=True) == ""
    assert [b.get_text() for b in root.select("button")] == ["Yes", "No"]
    form = root.find("form")
    assert form["action"].startswith("http://localhost/widgets/feedback-form")
    assert form["data-hx-post"] == form["action"]
    assert form["data-hx-target"] == f"#{root['aria-labelledby'].removesuffix('-title')}-body"
    # The status region is outside the part htmx replaces.
    assert status.find_parent(id=form["data-hx-target"][1:]) is None
    # The page is carried without query string or fragment.
    assert (
        form.find("input", attrs={"name": "page"})["value"] == "https://clinic.example/help/kratom"
    )
    honeypot = root.select_one(".cw-honeypot")
    assert honeypot["aria-hidden"] == "true"
    assert honeypot.find("input")["tabindex"] == "-1"


def test_no_javascript_flow_posts_redirects_and_thanks(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client, f"page={PAGE}&lang=es")
    response = client.post(f"{FORM}?lang=es", data={**fields, "helpful": "no"})
    assert response.status_code == 303
    comment_page = client.get(response.headers["Location"])
    soup = parse(comment_page.get_data(as_text=True))
    assert soup.find(attrs={"data-widget": "feedback-form"})["data-state"] == "comment"
    assert soup.find(role="status").get_text(strip=True) == "Gracias. Su respuesta quedó guardada."
    label = soup.find("label", attrs={"for": soup.find("textarea")["id"]})
    assert label.get_text() == "¿Quiere contarnos algo más? (opcional)"
    fields = {
        i["name"]: i.get("value", "") for i in soup.find("form").find_all("input", type="hidden")
    }
    comment = "No explica la abstinencia. Escríbanme a ana@example.com"
    response = client.post(f"{FORM}?lang=es", data={**fields, "comment": comment})
    assert response.status_code == 303
    thanks = parse(client.get(response.headers["Location"]).get_data(as_text=True))
    assert thanks.find(role="status").get_text(strip=True) == "Gracias por su opinión."
    [row] = stored(app)
    assert row.helpful is False
    assert row.locale == "es"
    assert row.page == "https://clinic.example/help/kratom"
    assert row.comment == "No explica la abstinencia. Escríbanme a [email]"
    assert row.redactions == 1
    assert row.partner is None
    assert row.created_at is not None


def test_one_post_may_carry_the_answer_and_the_comment(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client, f"page={PAGE}")
    response = client.post(FORM, data={**fields, "helpful": "yes", "comment": "Clear, thank you"})
    assert response.status_code == 303
    assert "state=thanks" in response.headers["Location"]
    [row] = stored(app)
    assert (row.helpful, row.comment, row.redactions) == (True, "Clear, thank you", 0)


def test_htmx_post_swaps_the_next_step_and_updates_the_status_in_place(
    app: Flask, client: FlaskClient
) -> None:
    fields = fresh_fields(client, f"page={PAGE}", htmx=True)
    response = client.post(FORM, data={**fields, "helpful": "yes"}, headers=HTMX)
    assert response.status_code == 200
    soup = parse(response.get_data(as_text=True))
    oob = soup.find(attrs={"data-hx-swap-oob": "innerHTML"})
    assert oob["id"] == f"{fields['uid']}-status"
    assert oob.get_text(strip=True) == "Thank you. Your answer was saved."
    textarea = soup.find("textarea")
    assert textarea["id"] == f"{fields['uid']}-comment"
    hint = soup.find(id=f"{fields['uid']}-hint").get_text()
    assert hint == "You can write up to 100 characters."
    described = textarea["aria-describedby"].split()
    assert f"{fields['uid']}-warning" in described
    assert "personal details" in soup.find(id=f"{fields['uid']}-warning").get_text()
    assert soup.find("a", href="tel:988"), "the crisis line stays one click away"
    assert len(stored(app)) == 1


def test_htmx_post_without_page_uses_the_host_page_address(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client, htmx=True)
    headers = {**HTMX, "HX-Current-URL": "https://clinic.example/a/b?secret=1"}
    client.post(FORM, data={**fields, "helpful": "yes"}, headers=headers)
    assert stored(app)[0].page == "https://clinic.example/a/b"


@pytest.mark.parametrize("length", [100, 101, 250])
def test_comment_over_limit_is_an_error_not_truncated(
    app: Flask, client: FlaskClient, length: int
) -> None:
    fields = fresh_fields(client, f"page={PAGE}")
    comment = ("word " * 60)[:length]
    response = client.post(FORM, data={**fields, "helpful": "yes", "comment": comment})
    if length == 100:
        assert response.status_code == 303
        assert stored(app)[0].comment == comment.strip()
        return
    assert response.status_code == 422
    soup = parse(response.get_data(as_text=True))
    textarea = soup.find("textarea")
    assert textarea.string == comment, "everything the visitor typed is still there"
    assert textarea["aria-invalid"] == "true"
    error_id = textarea["aria-describedby"].split()[-1]
    over = length - 100
    expected = (
        f"Error: Your comment is {over} character{'s' if over != 1 else ''} too long. "
        "Please shorten it to 100 characters or fewer."
    )
    assert soup.find(id=error_id).get_text() == expected
    assert stored(app) == []


def test_spanish_over_limit_message_uses_the_right_plural(client: FlaskClient) -> None:
    fields = fresh_fields(client, "lang=es")
    for extra, words in ((1, "1 carácter de más"), (2, "2 caracteres de más")):
        data = {**fields, "helpful": "yes", "comment": "a" * (100 + extra)}
        html = client.post(f"{FORM}?lang=es", data=data).get_data(as_text=True)
        assert f"Su comentario tiene {words}. Acórtelo a 100 caracteres o menos." in html


def _expired_token(secret: str) -> str:
    class ThreeHoursAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 3 * 60 * 60

    return URLSafeTimedSerializer(secret, salt=FORM_SALT, signer=ThreeHoursAgo).dumps("feedback")


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "This form could not be checked. Please send it again."),
        ("forged.token.value", "This form could not be checked. Please send it again."),
        ("EXPIRED", "This form was open too long. Please send it again."),
    ],
)
def test_bad_token_is_refused_and_keeps_the_visitors_text(
    app: Flask, client: FlaskClient, token: str | None, message: str
) -> None:
    fields = fresh_fields(client, f"page={PAGE}")
    if token is None:
        fields.pop("token")
    else:
        fields["token"] = _expired_token("test-secret") if token == "EXPIRED" else token
    data = {**fields, "helpful": "no", "comment": "The dose part is unclear"}
    for headers in ({}, HTMX):
        response = client.post(FORM, data=data, headers=headers)
        assert response.status_code == 422
        soup = parse(response.get_data(as_text=True))
        assert message in soup.get_text()
        assert soup.find("textarea").string == "The dose part is unclear"
        # A fresh token comes with the form, so sending again works.
        assert soup.find("input", attrs={"name": "token"})["value"] != fields.get("token")
    assert stored(app) == []


def test_token_signed_with_another_key_is_refused(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client)
    fields["token"] = URLSafeTimedSerializer("other", salt=FORM_SALT).dumps("feedback")
    assert client.post(FORM, data={**fields, "helpful": "yes"}).status_code == 422
    assert stored(app) == []


def test_filled_honeypot_is_refused_and_nothing_is_stored(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client)
    response = client.post(FORM, data={**fields, "helpful": "yes", "website": "http://spam"})
    assert response.status_code == 422
    assert "Your feedback could not be sent." in response.get_data(as_text=True)
    assert stored(app) == []


def test_oversize_body_is_a_413_and_nothing_is_stored(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client)
    response = client.post(FORM, data={**fields, "helpful": "yes", "comment": "x" * 40_000})
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)
    assert stored(app) == []


@pytest.mark.parametrize(
    "data",
    [
        {"helpful": "maybe"},
        {},
        {"helpful": "yes", "page": "javascript:alert(1)"},
        {"helpful": "yes", "page": "https://x.example/" + "a" * 3000},
        {"helpful": "yes", "page": "https://x.example/\x00"},
        {"helpful": "yes", "entry": "not-a-token"},
        {"helpful": ["yes", "no"]},
    ],
)
def test_malformed_fields_get_a_clear_4xx_and_nothing_is_stored(
    app: Flask, client: FlaskClient, data: dict
) -> None:
    fields = fresh_fields(client)
    response = client.post(FORM, data={**fields, **data})
    assert 400 <= response.status_code < 500
    html = response.get_data(as_text=True)
    assert "Traceback" not in html
    # The visitor is told what went wrong, in words.
    assert parse(html).select_one(".cw-error-message").get_text(strip=True).startswith("Error:")
    assert stored(app) == []


def test_a_comment_cannot_overwrite_one_already_stored(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client, htmx=True)
    swap = client.post(FORM, data={**fields, "helpful": "yes"}, headers=HTMX)
    entry = parse(swap.get_data(as_text=True)).find("input", attrs={"name": "entry"})["value"]
    for text in ("first", "second"):
        # Each post with a form token of its own (a token is spent once used).
        token = fresh_fields(client, htmx=True)["token"]
        client.post(
            FORM, data={**fields, "token": token, "entry": entry, "comment": text}, headers=HTMX
        )
    assert [row.comment for row in stored(app)] == ["first"]


def test_malformed_page_parameter_on_get_is_a_localized_400(client: FlaskClient) -> None:
    response = client.get(f"{FORM}?page=ftp://x&lang=es")
    assert response.status_code == 400
    assert "La dirección de la página no es una dirección web." in response.get_data(as_text=True)


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except redis.RedisError:
        return False


REDIS = pytest.mark.skipif(not _redis_available(), reason="no Redis server on 127.0.0.1:6379")


@pytest.mark.parametrize(
    "storage",
    ["memory://", pytest.param("redis://127.0.0.1:6379", marks=[REDIS, pytest.mark.system])],
)
def test_rate_limit_refuses_the_fourth_post_and_keeps_the_text(make_app, storage: str) -> None:
    import secrets

    # A new secret salts new client keys: no count left over from another run.
    app = make_app(
        SECRET_KEY=secrets.token_hex(8), RATE_LIMIT="3/minute", RATE_LIMIT_STORAGE_URL=storage
    )
    client = app.test_client()
    codes = [
        client.post(
            FORM, data={**fresh_fields(client), "helpful": "yes", "comment": f"note {n}"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [303, 303, 303]
    response = client.post(
        FORM, data={**fresh_fields(client), "helpful": "yes", "comment": "note 4"}
    )
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    soup = parse(response.get_data(as_text=True))
    assert soup.find("textarea").string == "note 4"
    assert "Please wait a minute" in soup.get_text()
    assert len(stored(app)) == 3


def test_rate_limit_off_lets_every_post_through(make_app) -> None:
    app = make_app(RATE_LIMIT="off")
    client = app.test_client()
    for _ in range(30):
        assert client.post(FORM, data={**fresh_fields(client), "helpful": "yes"}).status_code == 303
    assert len(stored(app)) == 30


def test_nothing_identifying_is_stored(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client)
    headers = {"User-Agent": "UniqueAgent/1.0", "X-Forwarded-For": "203.0.113.9"}
    response = client.post(FORM, data={**fields, "helpful": "yes"}, headers=headers)
    assert "Set-Cookie" not in response.headers
    [row] = stored(app)
    values = " ".join(str(getattr(row, c.name)) for c in row.__table__.columns)
    assert "UniqueAgent" not in values and "203.0.113.9" not in values and "127.0.0.1" not in values


def test_count_templates_cover_the_locales_plural_categories(client: FlaskClient) -> None:
    import json

    fields = fresh_fields(client, htmx=True)
    swap = client.post(f"{FORM}?lang=es", data={**fields, "helpful": "yes"}, headers=HTMX)
    count = parse(swap.get_data(as_text=True)).select_one(".cw-count")
    left = json.loads(count["data-cw-left"])
    assert left["one"] == "Queda {count} carácter"
    assert left["other"] == "Quedan {count} caracteres"
    assert count.has_attr("hidden") and count["aria-hidden"] == "true"
    assert re.search(r"\{count\}", json.loads(count["data-cw-over"])["other"])


def test_a_header_page_that_is_not_a_web_address_is_dropped(
    app: Flask, client: FlaskClient
) -> None:
    fields = fresh_fields(client, htmx=True)
    headers = {**HTMX, "HX-Current-URL": "file:///home/u/page.html?email=a@b.example"}
    response = client.post(FORM, data={**fields, "helpful": "yes"}, headers=headers)
    assert "email=" not in response.get_data(as_text=True)
    assert stored(app)[0].page == ""


def test_malformed_heading_on_a_post_stores_nothing(app: Flask, client: FlaskClient) -> None:
    fields = fresh_fields(client)
    response = client.post(f"{FORM}?heading=9", data={**fields, "helpful": "yes"})
    assert response.status_code == 400
    assert stored(app) == []


def test_form_answers_are_never_cached(client: FlaskClient) -> None:
    assert client.get(FORM).headers["Cache-Control"] == "no-store"


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(make_app) -> None:
    import secrets

    app = make_app(SECRET_KEY=secrets.token_hex(8), RATE_LIMIT="2/minute", PROXY_COUNT=1)
    client = app.test_client()
    fields = fresh_fields(client)
    for address in ("198.51.100.1", "198.51.100.2"):
        headers = {"X-Forwarded-For": address}
        codes = [
            client.post(FORM, data={**fields, "helpful": "yes"}, headers=headers).status_code
            for _ in range(3)
        ]
        assert codes == [303, 303, 429], address


def test_each_visitor_gets_a_token_of_their_own_from_the_form_kept_in_memory(
    app: Flask, client: FlaskClient
) -> None:
    # The first state is rendered once per address and language; only the token differs.
    query = "page=https%3A%2F%2Fclinic.example%2Fhelp&lang=es"
    pages = [client.get(f"{FORM}?{query}").get_data(as_text=True) for _ in range(3)]
    tokens = [parse(page).find("input", attrs={"name": "token"})["value"] for page in pages]
    assert len(set(tokens)) == 3
    assert len({page.replace(token, "") for page, token in zip(pages, tokens, strict=True)}) == 1
    assert "cw-form-token-slot" not in "".join(pages)
    for token in tokens:
        fields = {**fresh_fields(client, query), "token": token, "helpful": "yes"}
        assert client.post(f"{FORM}?{query}", data=fields).status_code == 303
    assert [row.page for row in stored(app)] == ["https://clinic.example/help"] * 3


def test_the_form_kept_in_memory_follows_the_address_language_and_arrival(
    client: FlaskClient,
) -> None:
    client.get(f"{FORM}?lang=es&page=https%3A%2F%2Fa.example%2F")
    french = parse(client.get(f"{FORM}?lang=fr&page=https%3A%2F%2Fb.example%2F").get_data(True))
    assert french.find(attrs={"lang": "fr"}) is not None
    assert french.find("input", attrs={"name": "page"})["value"] == "https://b.example/"
    # The same address as a fragment for htmx, then as a page of its own.
    fragment = client.get(f"{FORM}?lang=fr", headers=HTMX).get_data(as_text=True)
    page = client.get(f"{FORM}?lang=fr").get_data(as_text=True)
    assert "<main" not in fragment
    assert "<main" in page
