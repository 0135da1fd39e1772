"""The partner a request names with `partner`: its locale, theme, lines and origins."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext
from markupsafe import Markup, escape

from widget import catalogue, sources
from widget.params import InvalidParameter
from widget.partners.registry import Partner, Registry, load_registry
from widget.partners.theme import check_default_palettes

EXTENSION = "care_widgets.partners"
# The blueprints whose answers a partner shapes: the widgets' (the catalogue
# knows them) and the embed builder's. Health checks, the gallery, the report
# and static files ignore `partner`, so an unknown one there is no error.
EMBED_BLUEPRINTS = ("embed",)


def registry() -> Registry:
    """The registry loaded at start-up."""
    return current_app.extensions[EXTENSION]


def current_partner() -> Partner | None:
    """The partner of this request, or None for the open defaults."""
    return g.get("partner")


def _resolve() -> None:
    partner_id = request.args.get("partner", "")
    if not partner_id:
        return
    partner = registry().get(partner_id)
    if partner is None and request.method == "OPTIONS":
        # Let the preflight pass, so the browser goes on to fetch the error
        # message itself and the partner's page can show it.
        return
    if partner is None:
        # The id is not repeated back: the page must not show text an address made up.
        raise InvalidParameter(
            "partner",
            lazy_gettext(
                "The partner setting of this widget does not match any partner. "
                "Please check the embed code."
            ),
        )
    g.partner = partner
    g.partner_locale = partner.default_locale


def root_attributes() -> Markup:
    """lang, dir and the partner of a widget's root element."""
    from widget.i18n import current_locale

    locale = current_locale()
    attributes = f'lang="{escape(locale.tag)}" dir="{escape(locale.direction)}"'
    partner = current_partner()
    if partner is not None:
        attributes += f' data-partner="{escape(partner.id)}"'
    return Markup(attributes)


def reload_registry(app: Flask) -> None:
    """(Re)load the registry file; raises RegistryError when it is malformed."""
    source = app.config.get("PARTNERS_FILE")
    widgets = catalogue.current_of(app).names
    app.extensions[EXTENSION] = load_registry(Path(source) if source else None, widgets)


def _registry_files(app: Flask) -> list[Path]:
    source = app.config.get("PARTNERS_FILE")
    return [Path(source)] if source else []


def init_app(app: Flask) -> None:
    """Load the registry (a malformed one stops start-up); resolve `partner` on widget requests.

    Our own light and dark palettes are checked first, as a partner's are.
    """
    check_default_palettes()
    reload_registry(app)
    sources.register(app, sources.Source("partner registry", _registry_files, reload_registry))
    for name in (*catalogue.current_of(app).blueprints, *EMBED_BLUEPRINTS):
        app.before_request_funcs.setdefault(name, []).append(_resolve)
    app.jinja_env.globals["root_attributes"] = root_attributes

    @app.context_processor
    def partner_context() -> dict[str, Partner | None]:
        return {"partner": current_partner()}
