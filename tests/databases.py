"""Throwaway databases on the running PostgreSQL for tests (never the `test` database itself)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"


def postgres_missing() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN):
            return None
    except Exception as error:  # noqa: BLE001 (any failure means: not here)
        return f"no PostgreSQL at 127.0.0.1:5432 (user postgres, database test): {error}"


@contextmanager
def postgres_database(prefix: str = "care_widgets") -> Iterator[str]:
    """A fresh database (its SQLAlchemy URL), created for the test and dropped after it."""
    missing = postgres_missing()
    if missing:
        pytest.skip(missing)
    import psycopg

    name = f"{prefix}_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
