"""Commands for partners and editors: export feedback; upgrade the database schema."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys

import click
from flask import Flask
from flask.cli import AppGroup

from widget.db import database, upgrade
from widget.feedback.store import rows

FIELDS = ("id", "created_at", "page", "partner", "locale", "helpful", "comment", "redactions")


def _record(row) -> dict:
    return {
        "id": row.id,
        "created_at": row.created_at.astimezone(dt.UTC).isoformat()
        if row.created_at.tzinfo
        else row.created_at.replace(tzinfo=dt.UTC).isoformat(),
        "page": row.page,
        "partner": row.partner,
        "locale": row.locale,
        "helpful": row.helpful,
        "comment": row.comment,
        "redactions": row.redactions,
    }


def _spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def init_app(app: Flask) -> None:
    """Register `flask --app widget feedback export` and `flask --app widget db upgrade`."""
    feedback = AppGroup("feedback", help="Feedback that visitors sent.")
    db_group = AppGroup("db", help="The database schema.")

    @feedback.command("export")
    @click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
    @click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD (UTC)")
    @click.option("--partner", help="Only this partner's feedback.")
    def export(fmt: str, since: dt.datetime | None, partner: str | None) -> None:
        """Write stored feedback (already redacted) to standard output."""
        records = [_record(row) for row in rows(since.date() if since else None, partner)]
        if fmt == "json":
            json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(
            {key: _spreadsheet_safe(value) for key, value in r.items()} for r in records
        )

    @db_group.command("upgrade")
    def upgrade_command() -> None:
        """Bring the schema up to the newest migration."""
        upgrade(database().engine)
        click.echo(f"database schema is current: {database().engine.url.render_as_string()}")

    app.cli.add_command(feedback)
    app.cli.add_command(db_group)
