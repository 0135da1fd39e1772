"""Care Widgets: accessible, multilingual help widgets about substance use."""

from __future__ import annotations

from typing import Any

from flask import Flask

from widget import (
    catalogue,
    db,
    errors,
    fragment_cache,
    freshness,
    generic,
    health,
    i18n,
    paths,
    pipeline,
    rendering,
    secret,
    translation_coverage,
)
from widget.audit import cli as audit_cli
from widget.embed import export as static_export
from widget.embed import oembed, theme_views
from widget.embed import views as embed_views
from widget.feedback import cli as feedback_cli
from widget.feedback import ratelimit
from widget.feedback import report as feedback_report
from widget.feedback import views as feedback_views
from widget.feedback.redact import redact
from widget.gallery import bp as gallery_bp
from widget.helpline import facts as helpline_facts
from widget.helpline import views as helpline_views
from widget.helpline.banner_context import crisis_call_link
from widget.locales import KNOWN_LOCALES
from widget.partners import current as partners
from widget.partners import views as partner_views
from widget.partners.registry import RegistryError
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
    # A feedback post is a few hundred bytes; anything far larger is refused (413).
    "MAX_CONTENT_LENGTH": 16 * 1024,
    "MAX_FORM_MEMORY_SIZE": 16 * 1024,
    # Storage: SQLite in the instance folder unless WIDGET_DATABASE_URL is set.
    "DATABASE_URL": None,
    "AUTO_MIGRATE": True,
    # Posts per client; "off" disables (load tests). Counted per host ("host": a
    # small SQLite file all workers share), across hosts with redis://host:port
    # (per host while Redis is down), or per process with memory://.
    "RATE_LIMIT": "20/minute",
    "RATE_LIMIT_STORAGE_URL": "host",
    # The per-host counts file (default: rate-limits.sqlite3 in the instance folder).
    "RATE_LIMIT_HOST_FILE": None,
    # Token that opens /feedback/report (at least 32 characters); unset means the report is off.
    "REPORT_TOKEN": None,
    # Number of trusted proxies in front (X-Forwarded-For/-Proto/-Host); 0 = none.
    "PROXY_COUNT": 0,
    # QA: ?lang=en-XA renders every interface string accented and bracketed.
    "PSEUDO_LOCALE": False,
    # YAML file of partners (origins, default locale, own lines, theme); none = open defaults.
    "PARTNERS_FILE": None,
    # HTTP caching (seconds): widgets may change with a deploy or a content edit.
    "CACHE_MAX_AGE": 300,
    "CACHE_STALE_WHILE_REVALIDATE": 86400,
    "STATIC_MAX_AGE": 3600,
    # The helpline facts (helplines.yaml); none = the packaged file. Read again
    # when it changes, like the content folder (SUBSTANCE_CONTENT_DIR).
    "HELPLINE_FACTS_FILE": None,
    # A folder of extra widgets, one folder each with a template and its
    # component file (docs/adding-a-widget.md); none = the built-in widgets.
    "EXTRA_WIDGETS_DIR": None,
    # Memory per process for rendered widgets and ready answers, in MiB (0 = off).
    "FRAGMENT_CACHE_MB": 32,
    # Seconds any database wait may take (connect, statement, pool) before a 503.
    "DB_TIMEOUT": 3.0,
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

    # The WSGI layers around Flask (widget/pipeline.py has their order).
    pipeline.wrap_wsgi(app, redact=lambda text: redact(text).text)
    secret.ensure_secret_key(app)
    db.init_app(app)
    # The widget catalogue (widget/catalogue.py), from the component files.
    catalogue.init_app(app)
    # The data sources (widget/sources.py), each loaded and checked now: a
    # malformed file stops the service at start-up.
    i18n.init_app(app)
    helpline_facts.init_app(app)
    try:
        partners.init_app(app)
    except RegistryError as error:
        if test_config is not None:
            raise
        # Started from the environment (flask, gunicorn): one clear line that
        # names the file, the partner and the failing pair, not a traceback.
        raise SystemExit(f"Care Widgets cannot start: {error}") from None
    substance_library.init_app(app, tuple(KNOWN_LOCALES))
    # Made once every source is registered; it watches all of them.
    fragment_cache.init_app(app)
    ratelimit.init_app(app)
    pipeline.install_after_request(app)
    errors.init_app(app, crisis_link=crisis_call_link)
    rendering.init_app(app, discovery=oembed.discovery_url)
    app.register_blueprint(health.bp)
    app.register_blueprint(helpline_views.bp)
    app.register_blueprint(partner_views.bp)
    app.register_blueprint(substance_views.bp)
    app.register_blueprint(feedback_views.bp)
    feedback_report.init_app(app)
    app.register_blueprint(embed_views.bp)
    app.register_blueprint(theme_views.bp)
    app.register_blueprint(gallery_bp)
    generic.init_app(app)
    feedback_cli.init_app(app)
    static_export.init_app(app)
    translation_coverage.init_app(app)
    audit_cli.init_app(app)
    freshness.init_app(app)
    return app
