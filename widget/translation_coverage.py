"""`flask --app widget translations coverage`: strings and content per locale, as a table."""

from __future__ import annotations

import click
from babel.messages.pofile import read_po
from flask import Flask, current_app
from flask.cli import AppGroup

from widget.locales import KNOWN_LOCALES
from widget.paths import translations_dir
from widget.readability import fernandez_huerta, measure, reading_text
from widget.substances.library import Library


def coverage_rows(library: Library) -> list[tuple[str, int, int, int, int, str]]:
    """Per locale: translated strings, all strings, summaries written, all summaries, review."""
    with (translations_dir() / "messages.pot").open("rb") as handle:
        total = sum(1 for message in read_po(handle) if message.id)
    rows = []
    for tag, locale in KNOWN_LOCALES.items():
        translated = total
        if tag != "en":
            path = translations_dir() / locale.babel_id / "LC_MESSAGES" / "messages.po"
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale.babel_id)
            translated = sum(
                1
                for m in catalog
                if m.id
                and not m.fuzzy
                and all(m.string if isinstance(m.string, tuple) else (m.string,))
            )
        written = [s.summaries[tag] for s in library.substances.values() if tag in s.summaries]
        statuses = sorted({summary.review_status for summary in written})
        rows.append(
            (tag, translated, total, len(written), len(library.substances), ", ".join(statuses))
        )
    return rows


def readability_rows(library: Library) -> list[tuple[str, str, float, int, str]]:
    """Per locale: sentence-length unit, mean and longest over its summaries, and Spanish score."""
    rows = []
    for tag in KNOWN_LOCALES:
        written = [s.summaries[tag] for s in library.substances.values() if tag in s.summaries]
        if not written:
            continue
        figures = [measure(summary) for summary in written]
        mean = sum(f.mean * f.sentences for f in figures) / sum(f.sentences for f in figures)
        score = ""
        if tag == "es":
            scores = [fernandez_huerta(reading_text(summary)) for summary in written]
            if None not in scores:
                score = f"Fernández-Huerta {min(scores):.0f}–{max(scores):.0f}"
        rows.append((tag, figures[0].unit, mean, max(f.longest for f in figures), score))
    return rows


def init_app(app: Flask) -> None:
    """Register the command."""
    group = AppGroup("translations", help="Translation coverage.")

    @group.command("coverage")
    def coverage() -> None:
        """Print interface strings and substance summaries per locale."""
        library = current_app.extensions["care_widgets.library"]
        click.echo(f"{'locale':8} {'strings':>9} {'summaries':>10}  review status")
        for tag, done, total, written, substances, statuses in coverage_rows(library):
            click.echo(f"{tag:8} {done:>4}/{total:<4} {written:>4}/{substances:<5}  {statuses}")
        click.echo()
        click.echo(f"{'locale':8} {'mean sentence':>13} {'longest':>8}  {'unit':10}  score")
        for tag, unit, mean, longest, score in readability_rows(library):
            click.echo(f"{tag:8} {mean:>13.1f} {longest:>8}  {unit:10}  {score}")

    app.cli.add_command(group)
