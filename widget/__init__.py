"""Care Widgets: accessible, multilingual help widgets about substance use."""

from __future__ import annotations

from typing import Any

from flask import Flask

from widget import cors, errors, headers, health, i18n, paths
from widget.helpline import views as helpline_views
from widget.locales import KNOWN_LOCALES
from widget.substances import library as substance_library
from widget.substances import views as substance_views

DEFAULTS: dict[str, Any] = {
    # Locales and catalogues: translations/ sits at the top of the repository,
    # so Flask-Babel gets its absolute path (it resolves relative paths
    # against the package folder).
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(paths.translations_dir()),
    # The service never sets cookies; no session is ever written.
    "SESSION_COOKIE_NAME": "care-widgets-unused",
    "JSON_SORT_KEYS": False,
}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the service: defaults, then WIDGET_* environment variables, or the test's dict."""
    app = Flask(
        __name__,
        static_folder=str(paths.static_dir()),
        static_url_path="/static",
    )
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_prefixed_env("WIDGET")
    else:
        app.config.from_mapping(test_config)

    # {% trans %} blocks are extracted trimmed (babel.cfg), so render them trimmed too.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    i18n.init_app(app)
    headers.init_app(app)
    cors.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(helpline_views.bp)
    # Content is checked now: a malformed file stops the service at start-up.
    substance_library.init_app(app, tuple(KNOWN_LOCALES))
    app.register_blueprint(substance_views.bp)
    return app
