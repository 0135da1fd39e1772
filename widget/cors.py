"""Cross-origin access for partner pages that fetch widgets with htmx."""

from __future__ import annotations

from flask import Response, request

from widget.headers import PRIVATE_BLUEPRINTS
from widget.partners.current import current_partner

# htmx 2 and htmx 4 send these custom headers, which makes every request a
# preflighted one; the preflight must allow all of them.
HTMX_REQUEST_HEADERS = (
    "HX-Request",
    "HX-Current-URL",
    "HX-Target",
    "HX-Trigger",
    "HX-Trigger-Name",
    "HX-Boosted",
    "HX-Request-Type",
    "HX-Source",
    "HX-Prompt",
    "HX-History-Restore-Request",
)
# htmx reads these response headers; unless they are exposed, the browser
# logs "Refused to get unsafe header" on the partner's page for each one.
HTMX_RESPONSE_HEADERS = (
    "HX-Location",
    "HX-Push-Url",
    "HX-Redirect",
    "HX-Refresh",
    "HX-Replace-Url",
    "HX-Reswap",
    "HX-Retarget",
    "HX-Reselect",
    "HX-Trigger",
    "HX-Trigger-After-Settle",
    "HX-Trigger-After-Swap",
    "HX-Push",
)
ALLOWED_METHODS = ("GET", "POST")
PREFLIGHT_MAX_AGE = 86400


def _allowed_origin() -> str | None:
    partner = current_partner()
    if partner is None:
        # Open default: any site may embed. No credentials are ever needed
        # (the service sets no cookies), so the wildcard is safe and cacheable.
        return "*"
    # A partner's widgets are granted to the partner's own origins only; a
    # cache must then keep one copy per Origin.
    origin = request.headers.get("Origin")
    return origin if partner.allows_origin(origin) else None


def grant_access(response: Response) -> Response:
    """After-request step (widget/pipeline.py): the CORS headers of this answer."""
    # Granted on every answer, with or without an Origin header, so a cache
    # or CDN that stores one copy serves it to every partner page alike.
    # Static files too: axe-core and other auditors read the stylesheet with fetch.
    if request.blueprint in PRIVATE_BLUEPRINTS:
        # Staff pages are for a browser tab, never for another site's script.
        return response
    if current_partner() is not None:
        response.vary.add("Origin")
    origin = _allowed_origin()
    if origin is None:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = ", ".join(HTMX_RESPONSE_HEADERS)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
        response.headers["Access-Control-Allow-Headers"] = ", ".join(HTMX_REQUEST_HEADERS)
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response
