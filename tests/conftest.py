"""Fixtures shared by every test: the app, an HTTP client, and HTML parsing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from widget import create_app


@pytest.fixture
def app() -> Iterator[Flask]:
    """The service with its embedded defaults, in testing mode."""
    yield create_app({"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An HTTP client that talks to the app in-process."""
    return app.test_client()


HTMX = {"HX-Request": "true"}


def parse(html: str) -> BeautifulSoup:
    """Parse an HTML answer the way a browser would see its elements."""
    return BeautifulSoup(html, "html.parser")


def fragment_root(html: str):
    """The single root element of a widget fragment."""
    soup = parse(html)
    roots = [node for node in soup.contents if getattr(node, "name", None)]
    assert len(roots) == 1, f"a fragment has exactly one root element, got {len(roots)}"
    return roots[0]
