"""The response pipeline (widget/pipeline.py): its steps run in the order listed, and it matters.

A partner's iframe of a widget that a cache revalidated must still be allowed
to show it: the 304 carries the headers a CDN or browser updates its stored
copy with (RFC 9111, 4.3.4), the Content-Security-Policy among them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from widget import headers, pipeline

BANNER = "/widgets/helpline-banner"


def revalidated(app: Flask) -> tuple:
    """A widget's first answer and the answer to its revalidation with the ETag."""
    client = app.test_client()
    first = client.get(BANNER)
    again = client.get(BANNER, headers={"If-None-Match": first.headers["ETag"]})
    return first, again


def test_the_steps_run_in_the_order_listed(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    # Flask runs the last registered hook first.
    ran = list(reversed(app.after_request_funcs[None]))
    assert ran == [step.hook for step in pipeline.AFTER_REQUEST]
    assert [step.name for step in pipeline.AFTER_REQUEST] == [
        "cors",
        "headers",
        "httpcache",
        "requestlog",
    ]


def test_a_step_an_app_turns_off_is_not_registered(make_app: Callable[..., Flask]) -> None:
    app = make_app(REQUEST_LOG="off")
    ran = list(reversed(app.after_request_funcs[None]))
    assert [step.name for step in pipeline.AFTER_REQUEST if step.hook in ran] == [
        "cors",
        "headers",
        "httpcache",
    ]


def test_a_revalidated_widget_may_still_be_framed(make_app: Callable[..., Flask]) -> None:
    # The memory caches off: every answer goes through the pipeline.
    first, again = revalidated(make_app(FRAGMENT_CACHE_MB=0))
    assert first.status_code == 200 and again.status_code == 304
    assert first.headers["Content-Security-Policy"] == headers.DOCUMENT_CSP
    assert again.headers["Content-Security-Policy"] == headers.DOCUMENT_CSP
    assert again.headers["Content-Security-Policy"].endswith("frame-ancestors *")


def test_with_the_headers_after_httpcache_a_304_would_forbid_framing(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Why the order is what it is: the 304 has lost its Content-Type, so the
    # headers step would take it for a resource and forbid every frame.
    by_name = {step.name: step for step in pipeline.AFTER_REQUEST}
    swapped = tuple(by_name[name] for name in ("cors", "httpcache", "headers", "requestlog"))
    monkeypatch.setattr(pipeline, "AFTER_REQUEST", swapped)
    first, again = revalidated(make_app(FRAGMENT_CACHE_MB=0))
    assert first.headers["Content-Security-Policy"] == headers.DOCUMENT_CSP
    assert again.status_code == 304
    assert again.headers["Content-Security-Policy"] == headers.RESOURCE_CSP


def test_every_page_policy_is_the_documents_policy_with_its_additions() -> None:
    from widget.embed.views import BUILDER_CSP
    from widget.gallery import GALLERY_CSP

    def directives(policy: str) -> dict[str, str]:
        return dict(part.split(" ", 1) for part in policy.split("; "))

    document = directives(headers.DOCUMENT_CSP)
    for policy, ancestors in (
        (headers.PRIVATE_CSP, "'none'"),
        (BUILDER_CSP, "'none'"),
        (GALLERY_CSP, "'self'"),
    ):
        page = directives(policy)
        assert page["frame-ancestors"] == ancestors
        # Nothing a page adds loosens what documents load: only frames of our own.
        for name, value in page.items():
            if name not in ("frame-ancestors", "frame-src"):
                assert document[name] == value, (policy, name)
        assert page.get("frame-src", "'self'") == "'self'"


def test_no_session_is_read_or_written(make_app: Callable[..., Flask]) -> None:
    # A session cookie signed with the app's own key (as Flask's default
    # interface would accept it) is not read, and nothing sets a cookie.
    from flask import session
    from flask.sessions import SecureCookieSessionInterface

    app = make_app(FRAGMENT_CACHE_MB=0)
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    cookie = signer.dumps({"seen": True})
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    with client:
        answer = client.get(BANNER)
        assert answer.status_code == 200
        assert "Set-Cookie" not in answer.headers
        assert dict(session) == {}
        with pytest.raises(RuntimeError):
            session["written"] = True
    form = client.get("/widgets/feedback-form")
    assert form.status_code == 200 and "Set-Cookie" not in form.headers
