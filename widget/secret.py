"""The key that signs form tokens: from configuration, or generated once per instance."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask


def ensure_secret_key(app: Flask) -> None:
    """Use WIDGET_SECRET_KEY; else a key kept in the instance folder, made on first start.

    Every worker on one host then signs with the same key. Several hosts must
    share WIDGET_SECRET_KEY.
    """
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: when two workers start at once, one writes and the other reads.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
    app.config["SECRET_KEY"] = path.read_text().strip()
