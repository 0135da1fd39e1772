"""`flask --app widget export DIR`: every GET widget as static files for any web server or CDN."""

from __future__ import annotations

import contextvars
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import click
from flask import Flask, current_app

from widget import paths
from widget.embed.choices import Choice, every_choice
from widget.feedback.tokens import export_form_token
from widget.locales import KNOWN_LOCALES
from widget.partners.current import registry
from widget.partners.stylesheet import theme_css

_ATTRIBUTE = re.compile(r'(?P<name>href|src|action)="(?P<value>[^"]*)"')
_FORM_TOKEN = re.compile(r'(name="token" value=")[^"]*(")')


@dataclass(frozen=True)
class Item:
    """One widget in one locale, and where its two files go."""

    choice: Choice
    page: Path  # relative to the export folder
    fragment: Path


def _name(choice: Choice) -> str:
    """The file name: the substance, the variant, else the template's (index, form)."""
    address = choice.address()
    if address.path_parameter:
        return choice.substance
    if address.variants:
        return choice.chosen_variant()
    return Path(address.component.template).stem


def plan(partners: list[str | None], locales: list[str]) -> list[Item]:
    """Every widget × variant × substance × locale × partner (each partner's own widgets)."""
    items = []
    for partner_id in partners:
        partner = registry().get(partner_id) if partner_id else None
        choices = every_choice(partner.id, partner.widgets) if partner else every_choice()
        root = Path("partners", partner.id) if partner else Path()
        for choice in choices:
            for tag in locales:
                folder = root / "widgets" / choice.widget / tag
                name = _name(choice)
                items.append(
                    Item(
                        choice.with_(lang=tag),
                        folder / f"{name}.html",
                        folder / f"{name}.fragment.html",
                    )
                )
    return items


def _key(path: str, query: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return path, tuple(sorted(parse_qsl(query)))


class Rewriter:
    """Point links between exported widgets, styles and scripts at the exported files."""

    def __init__(self, base_url: str, items: list[Item]) -> None:
        self.base = urlsplit(base_url)
        self.files = {
            _key(i.choice.path(), "&".join(f"{k}={v}" for k, v in i.choice.query().items())): i.page
            for i in items
        }

    def _target(self, value: str) -> Path | None:
        parts = urlsplit(value)
        if parts.netloc and parts.netloc != self.base.netloc:
            return None
        if not parts.path.startswith("/") or parts.fragment and not parts.path:
            return None
        if parts.path.startswith("/static/") or re.fullmatch(
            r"/partners/[a-z0-9-]+/theme\.css", parts.path
        ):
            return Path(parts.path.lstrip("/"))
        return self.files.get(_key(parts.path, parts.query))

    def rewrite(self, html: str, at: Path) -> str:
        def replace(match: re.Match[str]) -> str:
            value = match.group("value").replace("&amp;", "&")
            target = self._target(value) if match.group("name") != "action" else None
            if target is None:
                return match.group(0)
            relative = os.path.relpath(target, start=at.parent).replace(os.sep, "/")
            return f'{match.group("name")}="{relative}"'

        return _ATTRIBUTE.sub(replace, html)


def export(
    out: Path, base_url: str, partners: list[str | None], locales: list[str], echo=click.echo
) -> dict:
    """Write the export; return a summary (files, bytes, seconds)."""
    started = time.perf_counter()
    items = plan(partners, locales)
    rewriter = Rewriter(base_url, items)
    client = current_app.test_client()
    written = 0
    size = 0

    def write(relative: Path, text: str) -> None:
        nonlocal written, size
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        target.write_bytes(data)
        written += 1
        size += len(data)

    echo(f"Exporting {len(items)} widgets (page and fragment each) into {out}")
    step = max(1, len(items) // 10)
    for done, item in enumerate(items, start=1):
        query = item.choice.query()
        # A static server cannot vary by Sec-Fetch-Dest: the page is the frame
        # document, which reads well both framed and opened on its own.
        pages = ((item.page, {"Sec-Fetch-Dest": "iframe"}), (item.fragment, {"HX-Request": "true"}))
        for relative, headers in pages:
            # An empty context: the command's own app context (and its `g`,
            # which holds the locale and partner) must not carry over.
            response = contextvars.Context().run(
                client.get,
                item.choice.path(),
                query_string=query,
                headers=headers,
                base_url=base_url,
            )
            if response.status_code != 200:
                raise click.ClickException(
                    f"{item.choice.url(base_url)} answered {response.status_code}"
                )
            html = response.get_data(as_text=True)
            if item.choice.widget == "feedback-form":
                html = _FORM_TOKEN.sub(
                    lambda m: m.group(1) + export_form_token() + m.group(2), html
                )
            write(relative, rewriter.rewrite(html, relative))
        if done % step == 0 or done == len(items):
            echo(f"  {done}/{len(items)} widgets ({done * 100 // len(items)}%)")
    for source in sorted(paths.static_dir().iterdir()):
        if source.is_file():
            (out / "static").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, out / "static" / source.name)
            written += 1
            size += source.stat().st_size
    for partner_id in partners:
        partner = registry().get(partner_id) if partner_id else None
        if partner and partner.theme:
            write(Path("partners", partner.id, "theme.css"), theme_css(partner))
    manifest = [
        {
            "url": i.choice.url(base_url),
            "page": i.page.as_posix(),
            "fragment": i.fragment.as_posix(),
        }
        for i in items
    ]
    write(Path("manifest.json"), json.dumps(manifest, indent=1, ensure_ascii=False))
    return {
        "widgets": len(items),
        "files": written,
        "bytes": size,
        "seconds": time.perf_counter() - started,
    }


def init_app(app: Flask) -> None:
    """Register `flask export`."""

    @app.cli.command("export")
    @click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
    @click.option(
        "--base-url",
        default="http://127.0.0.1:5000",
        show_default=True,
        help="The live service's root URL: the feedback form posts there.",
    )
    @click.option(
        "--partner",
        "partner_ids",
        multiple=True,
        help="Only these partners (repeat); default: open + all.",
    )
    @click.option(
        "--locale",
        "locales",
        multiple=True,
        type=click.Choice(list(KNOWN_LOCALES)),
        help="Only these locales (repeat).",
    )
    def export_command(
        directory: Path, base_url: str, partner_ids: tuple[str, ...], locales: tuple[str, ...]
    ) -> None:
        """Write every GET widget (page and htmx fragment), CSS and scripts into DIRECTORY."""
        known = registry().partners
        unknown = [p for p in partner_ids if p not in known]
        if unknown:
            raise click.BadParameter(
                f"unknown partner(s): {', '.join(unknown)}", param_hint="--partner"
            )
        chosen: list[str | None] = list(partner_ids) if partner_ids else [None, *known]
        summary = export(directory, base_url.rstrip("/"), chosen, list(locales or KNOWN_LOCALES))
        click.echo(
            f"Exported {summary['widgets']} widgets: {summary['files']} files, "
            f"{summary['bytes'] / 1024:.0f} KiB, in {summary['seconds']:.1f} s, into {directory}"
        )
