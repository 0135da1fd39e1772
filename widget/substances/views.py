"""Routes of the substance summaries: parse the request, build the context, render."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext

from widget.arrival import top_heading_level
from widget.errors import render_error
from widget.fragment_cache import cached
from widget.i18n import current_locale
from widget.params import boolean
from widget.rendering import address_instance_id, render_widget
from widget.substances.library import library
from widget.substances.page_context import index_entries, summary_context

bp = Blueprint("substances", __name__)

# Query parameters a summary's address keeps when it redirects or links.
CARRIED = ("lang", "heading", "collapsible", "partner", "switcher")


def _carried() -> dict[str, str]:
    return {key: request.args[key] for key in CARRIED if key in request.args}


@bp.get("/widgets/substance-summary")
@cached
def substance_index() -> ResponseReturnValue:
    """The list of substances we have summaries of."""
    level = top_heading_level(request.args)
    boolean(request.args, "collapsible")  # checked here, so every link below works
    locale = current_locale().tag
    return render_widget(
        "substances/index.html",
        title=gettext("Information about substances"),
        entries=index_entries(library(), locale),
        level=level,
        query=_carried(),
    )


@bp.get("/widgets/substance-summary/<path:requested>")
@cached
def substance_summary(requested: str) -> ResponseReturnValue:
    """One substance; an alias or a name in another language redirects to its address."""
    level = top_heading_level(request.args)
    collapsible = boolean(request.args, "collapsible")
    slug = library().resolve(requested)
    if slug is None:
        # The requested name is not repeated: an address must not be able to
        # put its own words (a fake phone number) beside our crisis line.
        return render_error(404, lazy_gettext("We have no summary about this substance."))
    if slug != requested:
        # One page per substance: other names redirect to it, never a copy.
        target = url_for("substances.substance_summary", requested=slug, **_carried())
        return redirect(target, code=301)
    uid = address_instance_id()
    context = summary_context(library(), slug, current_locale().tag, level, collapsible, uid)
    return render_widget(
        "substances/summary.html",
        title=context["summary"].name,
        **context,
    )
