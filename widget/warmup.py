"""Ready a production worker before its first visitor, then hide what it loaded from the collector.

A worker's first requests pay for everything Python loads on first use:
templates are compiled, catalogues and phone-number metadata are read, the
schema is checked against its migrations and the rate-limit store is
connected. Measured in process, a first banner took 66 ms and a first feedback
post 36 ms, against well under 2 ms once warm; under load the first second of a
new worker was where most slow answers came from. `warm` pays those costs at
start-up: it asks the app for the first documented example of every widget
address in the catalogue (so a widget added with its component file is
warmed too), in every language, as a document and as an htmx fragment
(requests it makes to itself, which the request log leaves out), reads the
phone metadata, redacts a few sample comments and opens the database and the
rate-limit store.

Then it moves everything loaded so far out of the garbage collector's sight
(`gc.freeze`). A full collection of a warm worker walked about 120,000
objects and held every thread of that worker for 70-130 ms; after the freeze it
walks only what was made since. Objects frozen are still freed when nothing
refers to them; only reference cycles among them are never collected, and
those are made once, at start-up.

Used by scripts/serve_production.py (each granian worker builds its app with
`warmed_app`) and gunicorn.conf.py (the master, before it forks the workers).
Nothing here is needed for the service to be correct: every step that fails
is logged and left to the first request, as without a warm-up.
"""

from __future__ import annotations

import gc
import logging
import time

from flask import Flask

from widget import catalogue
from widget.components import Example, example_url
from widget.db import database
from widget.feedback.ratelimit import rate_limit
from widget.feedback.redact import redact
from widget.feedback.redaction import phones
from widget.locales import KNOWN_LOCALES
from widget.requestlog import UNLOGGED

log = logging.getLogger(__name__)

# Comments of the kinds visitors send, written for this warm-up: digits in
# several regions' shapes, an e-mail, a street address, other scripts.
SAMPLE_COMMENTS = (
    "Thank you, this helped. Call me at 555-201-0147 or write to sam@example.org",
    "Gracias. Mi móvil es 612 34 56 78, vivo en Calle Mayor 5",
    "Merci, mon portable : 06 12 34 56 78",
    "谢谢，我的电话是13812345678",
    "Cảm ơn, số của tôi là 0912 345 678",
    "감사합니다 010-1234-5678",
    "شكرا، رقمي 01012345678",
    "Спасибо, мой номер 8 (916) 123-45-67",
    "I live at 12 Main Street, apartment 4",
    "No number here, only words and 20 mg at 10:30 on 2026-05-01",
)


def warmed_app() -> Flask:
    """The service's app, warmed (the factory the production servers start)."""
    from widget import create_app

    app = create_app()
    warm(app)
    return app


def warm(app: Flask) -> float:
    """Load what first requests would, then freeze the collector's view; seconds taken."""
    started = time.perf_counter()
    with app.app_context():
        _open_stores()
        examples = _examples()
    # Outside that context: a request made inside an app context shares its
    # `g`, so every language would be answered in the first one's, and the
    # answer cache would keep those answers for visitors.
    _ask_for(app, examples)
    _read_phone_metadata()
    gc.collect()
    gc.freeze()
    took = time.perf_counter() - started
    log.info("worker warmed in %.2f s; %d objects frozen", took, gc.get_freeze_count())
    return took


def _open_stores() -> None:
    """The schema checked (and brought up to date when allowed), the rate-limit store opened."""
    try:
        database().ready()
    except Exception as error:  # noqa: BLE001 (the first post tries again)
        log.warning("warm-up: the database did not answer (%s); the first post will try again",
                    type(error).__name__)  # fmt: skip
    # "unreachable" is logged by the limit itself when a post meets it.
    rate_limit().store_status()


def _examples() -> list[Example]:
    """The first documented example of every widget address in the catalogue."""
    return [c.examples[0] for c in catalogue.current().components if c.examples]


def _ask_for(app: Flask, examples: list[Example]) -> None:
    """Each example in every language, as a document and as an htmx fragment."""
    client = app.test_client()
    refused = set()
    for tag in KNOWN_LOCALES:
        for example in examples:
            url = example_url(example, lang=tag)
            for headers in ({}, {"HX-Request": "true"}):
                answer = client.get(url, headers=headers, environ_base={UNLOGGED: True})
                if answer.status_code != 200:
                    refused.add(f"{example.id} {answer.status_code}")
    if refused:
        log.warning("warm-up: unexpected answers: %s", ", ".join(sorted(refused)))


def _read_phone_metadata() -> None:
    phones.load_metadata()
    for comment in SAMPLE_COMMENTS:
        redact(comment)
