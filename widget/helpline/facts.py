"""Load the helpline facts from their data file and check them at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from widget.helpline.phone import dial_href, display_number

FACTS_FILE = Path(__file__).with_name("helplines.yaml")
ACTIONS = ("call", "tty", "text", "chat", "web")
TIERS = ("crisis", "treatment")


class HelplineDataError(ValueError):
    """The helpline data file is malformed; the message names the entry and field."""


@dataclass(frozen=True)
class Contact:
    """One way to reach a service: a number to call or text, or a web address."""

    action: str
    label: str  # gettext message id; %(number)s is replaced by `shown`
    href: str
    shown: str = ""
    mnemonic: str = ""
    language_note: str = ""
    primary: bool = False


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

    def contact(self, action: str) -> Contact:
        """The first contact of this service for an action."""
        return next(c for c in self.contacts if c.action == action)


def _require(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise HelplineDataError(f"{FACTS_FILE.name}: {where}: '{key}' must be a non-empty string")
    return value


def _contact(entry: dict, where: str) -> Contact:
    action = _require(entry, "action", where)
    if action not in ACTIONS:
        raise HelplineDataError(f"{FACTS_FILE.name}: {where}: unknown action {action!r}")
    label = _require(entry, "label", where)
    if action in ("chat", "web"):
        url = _require(entry, "url", where)
        if not url.startswith("https://"):
            raise HelplineDataError(f"{FACTS_FILE.name}: {where}: 'url' must be https")
        return Contact(action, label, url, primary=bool(entry.get("primary")))
    number = _require(entry, "number", where)
    try:
        shown = display_number(number)
        href = dial_href(action, number, entry.get("body"))
    except ValueError as error:
        raise HelplineDataError(f"{FACTS_FILE.name}: {where}: 'number': {error}") from None
    if "%(number)s" not in label:
        raise HelplineDataError(f"{FACTS_FILE.name}: {where}: 'label' must contain %(number)s")
    return Contact(
        action,
        label,
        href,
        shown=shown,
        mnemonic=entry.get("mnemonic", ""),
        language_note=entry.get("language_note", ""),
        primary=bool(entry.get("primary")),
    )


def parse_services(document: dict) -> tuple[Service, ...]:
    """Turn the data file's mapping into checked Service records."""
    services = []
    for index, entry in enumerate(document.get("services") or []):
        where = f"services[{index}]"
        service_id = _require(entry, "id", where)
        where = f"service {service_id!r}"
        tier = _require(entry, "tier", where)
        if tier not in TIERS:
            raise HelplineDataError(f"{FACTS_FILE.name}: {where}: unknown tier {tier!r}")
        contacts = tuple(
            _contact(contact, f"{where}, contacts[{i}]")
            for i, contact in enumerate(entry.get("contacts") or [])
        )
        if not contacts:
            raise HelplineDataError(f"{FACTS_FILE.name}: {where}: 'contacts' must not be empty")
        services.append(
            Service(
                id=service_id,
                tier=tier,
                name=_require(entry, "name", where),
                summary=_require(entry, "summary", where),
                contacts=contacts,
                hours=entry.get("hours", ""),
                languages=entry.get("languages", ""),
                notes=tuple(entry.get("notes") or ()),
            )
        )
    if not services:
        raise HelplineDataError(f"{FACTS_FILE.name}: no services")
    return tuple(services)


@cache
def load_services() -> dict[str, Service]:
    """All services by id, read once from the data file."""
    with FACTS_FILE.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    return {service.id: service for service in parse_services(document)}
