"""Routes of the theme preview: colours in, contrast verdicts, themed widgets and YAML out."""

from __future__ import annotations

from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from widget.embed.theme_preview import preview_css, read_form, registry_yaml, verdicts
from widget.embed.views import BUILDER_CSP
from widget.i18n import current_locale
from widget.partners.theme import DEFAULT_COLOURS, THEMABLE_COLOURS

bp = Blueprint("theme_preview", __name__)


def _banner() -> Markup:
    """The full banner as htmx would receive it, to be themed in the page."""
    response = current_app.test_client().get(
        url_for("helpline.helpline_banner", lang=current_locale().tag, heading=3),
        headers={"HX-Request": "true"},
    )
    return Markup(response.get_data(as_text=True))


@bp.get("/embed/theme")
def theme_page() -> ResponseReturnValue:
    """Colours in, contrast verdicts, a themed preview and the registry YAML out."""
    form = read_form(request.args)
    text, moved = registry_yaml(form)
    body = render_template(
        "embed/theme.html",
        form=form,
        fields=THEMABLE_COLOURS,
        defaults=DEFAULT_COLOURS,
        values=request.args,
        verdicts=verdicts(form.colours),
        yaml_text=text,
        moved=moved,
        stylesheet=url_for("theme_preview.theme_stylesheet", **request.args),
        banner=_banner(),
    )
    response = make_response(body, 400 if form.errors else 200)
    response.headers["Content-Security-Policy"] = BUILDER_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/embed/theme.css")
def theme_stylesheet() -> ResponseReturnValue:
    """The preview's custom properties, made from the checked values only."""
    response = make_response(preview_css(read_form(request.args)))
    response.mimetype = "text/css"
    response.headers["Cache-Control"] = "no-store"
    return response
