"""Alembic environment: migrations run on the engine the app hands over."""

from __future__ import annotations

from alembic import context

from widget.db import Base
from widget.feedback import models  # noqa: F401 (registers the tables)

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
