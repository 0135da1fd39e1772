"""Load the helpline facts from their data file, check them, and reload them when edited."""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import Flask, current_app, has_app_context

from widget import sources
from widget.phone import dial_href, digits, display_number, keypad_digits, spaced_mnemonic

FACTS_FILE = Path(__file__).with_name("helplines.yaml")
log = logging.getLogger(__name__)
ACTIONS = ("call", "tty", "text", "chat", "web")
# reference: lines that content cites ({{contact:ID}}) but no banner shows.
TIERS = ("crisis", "treatment", "reference")


class HelplineDataError(ValueError):
    """The helpline data file is malformed; the message names the entry and field."""


@dataclass(frozen=True)
class Checked:
    """When a fact was last checked, and against which official page."""

    date: dt.date
    source: str


@dataclass(frozen=True)
class Contact:
    """One way to reach a service: a number to call or text, or a web address."""

    action: str
    label: str  # gettext message id; %(number)s is replaced by `shown`
    href: str
    shown: str = ""
    mnemonic: str = ""  # keypad form as written (1-800-662-HELP); marked as English in prose
    mnemonic_shown: str = ""  # the same with reading aids in its digit groups
    language_note: str = ""
    primary: bool = False
    id: str = ""  # what content files write as {{contact:ID}}
    body: str = ""  # the word an sms: link puts in the message (AYUDA)
    body_lang: str = ""  # the language of that word
    checked: Checked | None = None


@dataclass(frozen=True)
class Service:
    """A help line with everything the banner says about it."""

    id: str
    tier: str
    name: str
    summary: str
    contacts: tuple[Contact, ...]
    hours: str = ""
    languages: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    checked: Checked | None = None

    def contact(self, action: str) -> Contact:
        """The first contact of this service for an action."""
        return next(c for c in self.contacts if c.action == action)


def _fail(where: str, message: str) -> HelplineDataError:
    return HelplineDataError(f"{FACTS_FILE.name}: {where}: {message}")


def _require(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"'{key}' must be a non-empty string")
    return value


def _checked(entry: dict, where: str) -> Checked:
    record = entry.get("checked")
    if not isinstance(record, dict):
        raise _fail(where, "'checked' must be a record {date, source}")
    date = record.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            date = None
    if not isinstance(date, dt.date):
        raise _fail(where, "'checked.date' must be a date (YYYY-MM-DD)")
    source = record.get("source")
    if not isinstance(source, str) or not source.startswith("https://"):
        raise _fail(where, "'checked.source' must be the https address of the official page")
    return Checked(date, source)


def _contact(entry: dict, where: str) -> Contact:
    action = _require(entry, "action", where)
    if action not in ACTIONS:
        raise _fail(where, f"unknown action {action!r}")
    label = _require(entry, "label", where)
    checked = _checked(entry, where)
    if action in ("chat", "web"):
        url = _require(entry, "url", where)
        if not url.startswith("https://"):
            raise _fail(where, "'url' must be https")
        return Contact(action, label, url, primary=bool(entry.get("primary")), checked=checked)
    number = _require(entry, "number", where)
    contact_id = _require(entry, "id", where)
    try:
        shown = display_number(number)
        href = dial_href(action, number, entry.get("body"))
    except ValueError as error:
        raise _fail(where, f"'number': {error}") from None
    if "%(number)s" not in label:
        raise _fail(where, "'label' must contain %(number)s")
    mnemonic = entry.get("mnemonic", "")
    try:
        mnemonic_shown = spaced_mnemonic(mnemonic) if mnemonic else ""
    except ValueError as error:
        raise _fail(where, f"'mnemonic': {error}") from None
    if mnemonic and keypad_digits(mnemonic) != digits(number):
        raise _fail(
            where,
            f"'mnemonic': {mnemonic!r} dials {keypad_digits(mnemonic)} on a keypad, "
            f"not {digits(number)}",
        )
    return Contact(
        action,
        label,
        href,
        shown=shown,
        mnemonic=mnemonic,
        mnemonic_shown=mnemonic_shown,
        language_note=entry.get("language_note", ""),
        primary=bool(entry.get("primary")),
        id=contact_id,
        body=entry.get("body", ""),
        body_lang=entry.get("body_lang", ""),
        checked=checked,
    )


def _service(entry: dict, index: int) -> Service:
    where = f"service {_require(entry, 'id', f'services[{index}]')!r}"
    tier = _require(entry, "tier", where)
    if tier not in TIERS:
        raise _fail(where, f"unknown tier {tier!r}")
    contacts = tuple(
        _contact(contact, f"{where}, contacts[{i}]")
        for i, contact in enumerate(entry.get("contacts") or [])
    )
    if not contacts:
        raise _fail(where, "'contacts' must not be empty")
    service = Service(
        id=entry["id"],
        tier=tier,
        name=_require(entry, "name", where),
        # A reference line is only cited by content: nothing shows a summary of it.
        summary=entry.get("summary", "")
        if tier == "reference"
        else _require(entry, "summary", where),
        contacts=contacts,
        hours=entry.get("hours", ""),
        languages=entry.get("languages", ""),
        notes=tuple(entry.get("notes") or ()),
        checked=_checked(entry, where),
    )
    _check_sentences(service, where)
    return service


def _check_sentences(service: Service, where: str) -> None:
    """A sentence names the service's number as %(number)s, never in digits.

    The page shows %(number)s as the service's call number, spaced so that
    screen readers say it digit by digit; digits typed into a sentence would be
    read as a quantity ("nine hundred eighty-eight") and would not follow an
    edit of the number.
    """
    numbers = {digits(contact.shown) for contact in service.contacts if contact.shown}
    calls = [contact for contact in service.contacts if contact.action == "call"]
    for name, text in [("summary", service.summary), *(("notes", note) for note in service.notes)]:
        if "%(number)s" in text and not calls:
            raise _fail(where, f"{name!r} says %(number)s but the service has no call contact")
        for run in re.findall(r"(?<![\w.-])\d(?:[\d-]*\d)?(?![\w.-])", text):
            if digits(run) in numbers:
                raise _fail(where, f"{name!r} writes the number {run} out: write %(number)s")


def parse_services(document: dict) -> tuple[Service, ...]:
    """Turn the data file's mapping into checked Service records (ids unique)."""
    services = tuple(_service(entry, i) for i, entry in enumerate(document.get("services") or []))
    if not services:
        raise HelplineDataError(f"{FACTS_FILE.name}: no services")
    seen: set[str] = set()
    for service in services:
        for contact in service.contacts:
            if contact.id and contact.id in seen:
                raise _fail(f"service {service.id!r}", f"contact id {contact.id!r} is repeated")
            seen.add(contact.id)
    if len({s.id for s in services}) != len(services):
        raise HelplineDataError(f"{FACTS_FILE.name}: a service id is repeated")
    return services


def facts_path() -> Path:
    """The facts file the running app reads (HELPLINE_FACTS_FILE), else the packaged one."""
    if has_app_context() and current_app.config.get("HELPLINE_FACTS_FILE"):
        return Path(current_app.config["HELPLINE_FACTS_FILE"])
    return FACTS_FILE


_loaded: dict[Path, tuple[tuple[int, int], dict[str, Service]]] = {}
_lock = threading.Lock()
# Contact ids the loaded content and templates refer to: an edit that drops
# one of them is refused like a malformed one (the pages could not render).
_required: set[str] = set()


def require_contacts(ids: Iterable[str]) -> None:
    """Record contact ids that an edit of the facts file must keep."""
    _required.update(ids)


def load_services(path: Path | None = None) -> dict[str, Service]:
    """All services by id. Read again whenever the file changed, so an edit shows
    on the next render without a restart; a broken edit keeps the last good facts."""
    path = path or facts_path()
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    known = _loaded.get(path)
    if known and known[0] == stamp:
        return known[1]
    with _lock:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            services = {s.id: s for s in parse_services(document or {})}
            ids = {c.id for s in services.values() for c in s.contacts}
            if known is not None and not _required <= ids:
                missing = ", ".join(sorted(_required - ids))
                raise HelplineDataError(
                    f"{path.name}: contact ids still in use are gone: {missing}"
                )
        except (HelplineDataError, yaml.YAMLError):
            if known is None:
                raise  # at start-up a broken file must stop the service
            log.exception("%s changed but cannot be used; keeping the last good facts", path)
            return known[1]
        _loaded[path] = (stamp, services)
    return services


def _facts_files(app: Flask) -> list[Path]:
    return [Path(app.config.get("HELPLINE_FACTS_FILE") or FACTS_FILE)]


def init_app(app: Flask) -> None:
    """Watch the facts file; load_services reads it again itself when it changed."""
    sources.register(app, sources.Source("helpline facts", _facts_files))


def load_contacts(path: Path | None = None) -> dict[str, Contact]:
    """Every phone and text contact by its id (what content refers to)."""
    return {c.id: c for s in load_services(path).values() for c in s.contacts if c.id}
