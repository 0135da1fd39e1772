"""Widgets without a view of their own: the catalogue's `widgets.<name>` endpoints.

A widget that only shows its template with its documented options (variant,
heading, …) needs no Python: its component file names the endpoint
`widgets.<name>` and its address, and this view checks every documented
parameter with a list of values (widget/catalogue.py:read_option) and renders
the template in the pipeline every widget uses (fragment cache, htmx
fragment or document, HTTP caching).
"""

from __future__ import annotations

from flask import Blueprint, Flask, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from widget import catalogue, params
from widget.components import ComponentError
from widget.fragment_cache import cached
from widget.rendering import render_widget

BLUEPRINT = "widgets"


def generic_view() -> ResponseReturnValue:
    """Render a catalogue widget's template with its checked options."""
    widget, address = catalogue.current().by_endpoint[request.endpoint or ""]
    component = address.component
    values = {
        p.name: catalogue.read_option(request.args, p.name)
        for p in component.parameters
        if p.location == "query" and p.allowed
    }
    level = int(values.pop("heading", params.DEFAULT_HEADING_LEVEL))
    # The language switcher is render_widget's own.
    values.pop("switcher", None)
    title = gettext(component.embed.frame_title or widget.label)
    return render_widget(
        component.template,
        title=title,
        level=level,
        sub_level=params.sub_heading_level(level),
        **values,
    )


def init_app(app: Flask) -> None:
    """Serve every catalogue address whose endpoint is in the `widgets` blueprint."""
    addresses = [
        (endpoint, address)
        for endpoint, (_, address) in catalogue.current_of(app).by_endpoint.items()
        if endpoint.partition(".")[0] == BLUEPRINT
    ]
    if not addresses:
        return
    bp = Blueprint(BLUEPRINT, __name__)
    view = cached(generic_view)
    for endpoint, address in addresses:
        if address.path_parameter:
            raise ComponentError(
                f"{address.component.source}: field 'embed.path': "
                "a widget without a view of its own has no path parameter"
            )
        bp.add_url_rule(address.path, endpoint.partition(".")[2], view, methods=["GET"])
    app.register_blueprint(bp)
