"""Routes of partner resources: the theme stylesheet a partner page and our documents load."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from widget.partners.current import registry
from widget.partners.stylesheet import theme_css

bp = Blueprint("partners", __name__)


@bp.get("/partners/<partner_id>/theme.css")
def theme(partner_id: str) -> ResponseReturnValue:
    """The partner's colours, font and corners as custom properties on its widgets."""
    partner = registry().get(partner_id)
    if partner is None or partner.theme is None:
        abort(404)
    return theme_css(partner), 200, {"Content-Type": "text/css; charset=utf-8"}
