"""Fixtures shared by every test: the app and an HTTP client (plain helpers: tests/helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from widget import create_app


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build apps with test settings (a fresh SQLite file unless told otherwise).

    Their database connections are closed when the test ends.
    """
    apps: list[Flask] = []

    def build(**config: object) -> Flask:
        settings = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": f"sqlite:///{tmp_path / f'feedback-{len(apps)}.sqlite3'}",
            # Each app counts its own posts (the default file is the host's, shared).
            "RATE_LIMIT_HOST_FILE": str(tmp_path / f"rate-limits-{len(apps)}.sqlite3"),
            **config,
        }
        app = create_app(settings)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["care_widgets.db"].engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The service with its embedded defaults, in testing mode, storing in a fresh SQLite file."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An HTTP client that talks to the app in-process."""
    return app.test_client()
