"""Data the service reads from files and reads again while it runs: one small interface.

Each feature that serves data from files registers a Source at start-up: the
files it watches and how to read them again. Today: the catalogues
(widget/i18n.py), the helpline facts (widget/helpline/facts.py), the content
library (widget/substances/library.py) and the partner registry
(widget/partners/current.py). The fragment cache (widget/fragment_cache.py)
listens: when any watched file changed, it empties itself and calls every
source's reload, in the order the sources were registered.

Infrastructure thus knows the sources only through this module, never through
the feature packages (the package import graph stays acyclic:
tests/test_import_graph.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

EXTENSION = "care_widgets.sources"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    """A kind of data read from files: what to watch and how to read it again."""

    name: str
    # The files whose change means the data must be read again (may not exist yet).
    files: Callable[[Flask], Iterable[Path]]
    # Read the data again; raises ValueError for a broken edit (the previous
    # data is then kept). None: the source checks its files itself on use.
    reload: Callable[[Flask], None] | None = None


def register(app: Flask, source: Source) -> None:
    """Add (or replace, by name) a source of the app."""
    sources = [s for s in registered(app) if s.name != source.name]
    app.extensions[EXTENSION] = (*sources, source)


def registered(app: Flask) -> tuple[Source, ...]:
    """The app's sources, in the order they were registered."""
    return app.extensions.get(EXTENSION, ())


def watched_files(app: Flask) -> list[Path]:
    """Every file some source watches."""
    return [path for source in registered(app) for path in source.files(app)]


def version(app: Flask) -> tuple[float, int]:
    """The newest modification time of the watched files, and how many exist."""
    stamps = [path.stat().st_mtime for path in watched_files(app) if path.exists()]
    return (max(stamps, default=0.0), len(stamps))


def reload_all(app: Flask) -> None:
    """Read every source again (inside an app context); a broken edit is logged and skipped."""
    with app.app_context():
        for source in registered(app):
            if source.reload is None:
                continue
            try:
                source.reload(app)
            except ValueError:  # a broken edit: keep serving the last good version
                log.exception(
                    "%s: a source file changed but cannot be used; keeping the previous one",
                    source.name,
                )
