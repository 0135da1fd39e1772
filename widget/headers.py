"""Response headers every answer carries: Vary, Content-Language, privacy, CSP, no cookies."""

from __future__ import annotations

from flask import Response, g, request

from widget.partners.current import current_partner

# The same URL answers differently by these request headers (the public contract, openapi.yaml).
VARY_ON = ("HX-Request", "Sec-Fetch-Dest", "Accept-Language")

# Our own documents load only our own files: no inline script or style, no
# third party. Every page's policy is this one with its own additions
# (content_security_policy): who may frame it, what it frames, what it leaves out.
DOCUMENT_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self'"),
    ("connect-src", "'self'"),
    ("form-action", "'self'"),
    ("base-uri", "'none'"),
)


def content_security_policy(
    frame_ancestors: str, *, frame_src: str | None = None, without: tuple[str, ...] = ()
) -> str:
    """The documents' policy for one page: who may frame it (`frame_ancestors`),
    what it frames itself (`frame_src`), and the directives it does not need."""
    directives = [(name, value) for name, value in DOCUMENT_DIRECTIVES if name not in without]
    if frame_src is not None:
        before = next(i for i, (name, _) in enumerate(directives) if name == "form-action")
        directives.insert(before, ("frame-src", frame_src))
    directives.append(("frame-ancestors", frame_ancestors))
    return "; ".join(f"{name} {value}" for name, value in directives)


# Any site may frame a widget (open default), a partner's only on the
# partner's own origins.
DOCUMENT_CSP = content_security_policy("*")
RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'"
# Pages for the service's own staff (the feedback report): never framed, never
# granted to another origin, whatever partner or request.
PRIVATE_BLUEPRINTS = ("feedback_report",)
PRIVATE_CSP = content_security_policy("'none'")


def document_csp() -> str:
    """The CSP of one of our HTML answers, framed only where its partner allows."""
    if request.blueprint in PRIVATE_BLUEPRINTS:
        return PRIVATE_CSP
    partner = current_partner()
    if partner is None:
        return DOCUMENT_CSP
    # 'self': the embed builder previews a partner's widget in a frame.
    return content_security_policy("'self' " + " ".join(partner.origins))


# A visitor who follows a link to a help site must not tell it which health
# page (with its address) they came from.
PRIVACY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "X-Content-Type-Options": "nosniff",
}


def is_htmx_request() -> bool:
    """True when htmx asked for the fragment alone."""
    return request.headers.get("HX-Request", "").lower() == "true"


def _add_vary(response: Response) -> None:
    if "Vary" not in response.headers:
        response.headers["Vary"] = ", ".join(VARY_ON)  # the usual case, without parsing
        return
    response.vary.update(VARY_ON)


def add_headers(response: Response) -> Response:
    """After-request step (widget/pipeline.py): Vary, Content-Language, privacy, CSP, no cookie."""
    if request.endpoint != "static":
        _add_vary(response)
        tag = g.get("locale_tag")
        if tag is not None:
            response.headers["Content-Language"] = tag
    for name, value in PRIVACY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", document_csp())
    else:
        # Styles, scripts and JSON are never documents: nothing may run or frame them.
        response.headers.setdefault("Content-Security-Policy", RESOURCE_CSP)
    # Visitors of health information are at risk if tracked: never a cookie.
    response.headers.remove("Set-Cookie")
    return response
