"""Which checked facts are getting old: `flask --app widget content stale [--months N]`."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from widget.helpline.facts import facts_path, load_services
from widget.substances.library import Library


@dataclass(frozen=True)
class Record:
    """One fact with the day it was last checked, where it is written and its source."""

    checked: dt.date
    where: str
    fact: str
    source: str


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return dt.date(year, month + 1, candidate)
        except ValueError:
            continue
    return dt.date(year, month + 1, min(day.day, 28))


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def checked_records(library: Library, facts: Path) -> list[Record]:
    """Every `checks` record of the content files and `checked` record of the facts file."""
    records = []
    for substance in library.substances.values():
        for summary in substance.summaries.values():
            for index, check in enumerate(summary.checks):
                source = summary.sources[check.source].url
                where = f"{_relative(summary.path)} checks[{index}]"
                records.append(Record(check.checked, where, check.fact, source))
    for service in load_services(facts).values():
        where = f"{_relative(facts)} {service.id}"
        if service.checked:
            records.append(
                Record(service.checked.date, where, service.name, service.checked.source)
            )
        for contact in service.contacts:
            if contact.checked:
                what = contact.id or contact.href
                records.append(
                    Record(
                        contact.checked.date,
                        f"{where} {what}",
                        contact.label,
                        contact.checked.source,
                    )
                )
    return records


def stale_records(records: list[Record], today: dt.date, months: int) -> list[Record]:
    """The records checked before the day `months` months ago, oldest first."""
    limit = months_before(today, months)
    return sorted((r for r in records if r.checked < limit), key=lambda r: (r.checked, r.where))


def init_app(app: Flask) -> None:
    """Register `flask content stale`."""
    group = AppGroup("content", help="Substance content and helpline facts.")

    @group.command("stale")
    @click.option("--months", default=6, show_default=True, type=click.IntRange(min=0))
    def stale(months: int) -> None:
        """List facts last checked more than N months ago; exit status 1 when there are any."""
        library = current_app.extensions["care_widgets.library"]
        records = checked_records(library, facts_path())
        old = stale_records(records, dt.date.today(), months)
        for record in old:
            click.echo(f"{record.checked.isoformat()}  {record.where}")
            click.echo(f"    {record.fact}")
            click.echo(f"    check against: {record.source}")
        click.echo(
            f"{len(old)} of {len(records)} checked facts are older than {months} months."
            if old
            else f"All {len(records)} checked facts were checked in the last {months} months."
        )
        sys.exit(1 if old else 0)

    app.cli.add_command(group)
