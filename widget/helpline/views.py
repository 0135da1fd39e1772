"""Routes of the helpline banner: parse the request, build the context, render."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from widget.arrival import top_heading_level
from widget.catalogue import read_option
from widget.fragment_cache import cached
from widget.helpline.banner_context import banner_context
from widget.i18n import current_locale
from widget.rendering import render_widget

bp = Blueprint("helpline", __name__)


@bp.get("/widgets/helpline-banner")
@cached
def helpline_banner() -> ResponseReturnValue:
    """The helpline banner in the chosen variant."""
    variant = read_option(request.args, "variant")
    level = top_heading_level(request.args)
    title = gettext("Free, confidential help lines")
    return render_widget(
        "helpline/banner.html",
        title=title,
        # The compact line has no visible heading: its page gets one.
        page_heading=title if variant == "compact" else None,
        **banner_context(variant, level, current_locale().tag),
    )
