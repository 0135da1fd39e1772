"""GET /gallery: every documented example of every widget in one language, for checks by hand.

Each example is shown in an iframe of its own address, exactly as a partner's
iframe embeds it, so what a tester checks is what the service serves.
"""

from __future__ import annotations

from flask import Blueprint, Response, make_response, render_template
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext

from widget import catalogue
from widget.components import Component, Example, example_url
from widget.headers import content_security_policy
from widget.i18n import current_locale
from widget.locales import KNOWN_LOCALES

bp = Blueprint("gallery", __name__)

# The documents' CSP (widget/headers.py) with one change: this page frames
# the service's own widget addresses. It is not meant to be framed itself.
# It runs no script and fetches nothing.
GALLERY_CSP = content_security_policy(
    "'self'", frame_src="'self'", without=("script-src", "connect-src")
)


@bp.record_once
def _check_component_files(state: BlueprintSetupState) -> None:
    # A malformed component file stops the service at start-up, naming the
    # file and the field, instead of breaking the gallery later.
    catalogue.current_of(state.app)


def reach_note(component: Component, example: Example) -> str | None:
    """How to reach a step the example's address cannot show by itself."""
    if component.name != "feedback-form" or example.state in (None, "start"):
        return None
    if example.state == "comment":
        return gettext("The frame shows the first step. To reach this one, choose Yes in it.")
    return gettext(
        "The frame shows the first step. To reach this one, choose Yes in it, "
        "write a comment and choose Send."
    )


@bp.get("/gallery")
def gallery() -> Response:
    """The gallery page in the chosen language (`lang`, like every widget)."""
    locale = current_locale()
    components = [
        {
            "component": component,
            "examples": [
                {
                    "example": example,
                    "url": example_url(example, lang=locale.tag),
                    "note": reach_note(component, example),
                }
                for example in component.examples
            ],
        }
        for component in catalogue.current().components
    ]
    html = render_template(
        "gallery.html", components=components, languages=list(KNOWN_LOCALES.values())
    )
    response = make_response(html)
    response.headers["Content-Security-Policy"] = GALLERY_CSP
    return response
