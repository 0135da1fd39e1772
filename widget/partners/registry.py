"""Load the partner registry, check it at start-up, and find the partner a request names."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft202012Validator

from widget import catalogue
from widget.locales import KNOWN_LOCALES
from widget.partners.theme import Theme, ThemeError, build_theme
from widget.phone import dial_href, display_number

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")
# The widgets a partner may list: the catalogue's (widget/catalogue.py).
WIDGETS = catalogue.builtin().names
# Plain http only for a developer's own machine.
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")

log = logging.getLogger(__name__)


class RegistryError(ValueError):
    """The registry cannot be used; the message names the file, partner and field."""


@dataclass(frozen=True)
class LocalText:
    """Text a partner wrote, per locale tag; English is always there."""

    texts: dict[str, str]

    def pick(self, tag: str) -> tuple[str, str | None]:
        """The text for a locale, and "en" when it falls back to English (else None)."""
        if tag in self.texts:
            return self.texts[tag], None
        return self.texts["en"], ("en" if tag != "en" else None)


@dataclass(frozen=True)
class PartnerContact:
    """A way to reach a partner's own line."""

    action: str  # call, text, tty or web
    href: str
    shown: str = ""


@dataclass(frozen=True)
class PartnerLine:
    """A partner's own help or intake line, shown in the banner beside the national ones."""

    name: LocalText
    contacts: tuple[PartnerContact, ...]
    summary: LocalText | None = None
    hours: LocalText | None = None


@dataclass(frozen=True)
class Partner:
    """A site that embeds the widgets, with what it may change about them."""

    id: str
    name: str
    origins: tuple[str, ...]
    default_locale: str | None = None
    widgets: tuple[str, ...] = WIDGETS
    helplines: tuple[PartnerLine, ...] = ()
    theme: Theme | None = None

    def allows_origin(self, origin: str | None) -> bool:
        """True when a page on this origin may fetch the partner's widgets."""
        if not origin:
            return False
        try:
            return normalise_origin(origin) in self.origins
        except ValueError:
            return False


@dataclass
class Registry:
    """Every partner by id, and the warnings loading them gave."""

    partners: dict[str, Partner] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def get(self, partner_id: str) -> Partner | None:
        return self.partners.get(partner_id)


def normalise_origin(text: str) -> str:
    """scheme://host[:port] in lower case, default ports dropped; ValueError otherwise."""
    if not isinstance(text, str) or not text or text != text.strip():
        raise ValueError(f"{text!r} is not an origin")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(f"{text!r} is not an origin (bad port)") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"{text!r} is not an origin: write https://host or https://host:port")
    if (
        parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise ValueError(
            f"{text!r} is not an origin: no path, query or user, only scheme://host[:port]"
        )
    if "*" in parts.netloc:
        raise ValueError(f"{text!r}: wildcards are not allowed; list each origin")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if parts.scheme == "http" and host not in _LOCAL_HOSTS:
        raise ValueError(f"{text!r} must use https (plain http only for localhost)")
    default = {"https": 443, "http": 80}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def _local_text(value: Any) -> LocalText:
    texts = {"en": value} if isinstance(value, str) else dict(value)
    unknown = sorted(set(texts) - set(KNOWN_LOCALES))
    if unknown:
        raise ValueError(f"unknown locale tag(s) {', '.join(unknown)}")
    return LocalText(texts)


def _contact(entry: dict) -> PartnerContact:
    action = entry["action"]
    if action == "web":
        url = entry.get("url")
        if (
            not isinstance(url, str)
            or urlsplit(url).scheme != "https"
            or not urlsplit(url).hostname
        ):
            raise ValueError("a web contact needs an https 'url'")
        return PartnerContact("web", url)
    number = entry.get("number")
    if not isinstance(number, str):
        raise ValueError(f"a {action} contact needs a 'number' (E.164, e.g. +12025550142)")
    return PartnerContact(action, dial_href(action, number), display_number(number))


def _line(entry: dict) -> PartnerLine:
    contacts = []
    for index, contact in enumerate(entry["contacts"]):
        try:
            contacts.append(_contact(contact))
        except ValueError as error:
            raise ValueError(f"contacts.{index}: {error}") from None
    return PartnerLine(
        name=_local_text(entry["name"]),
        summary=_local_text(entry["summary"]) if "summary" in entry else None,
        hours=_local_text(entry["hours"]) if "hours" in entry else None,
        contacts=tuple(contacts),
    )


def _partner(entry: dict, warnings: list[str], widgets: tuple[str, ...]) -> Partner:
    where = f"partner '{entry['id']}'"
    origins = []
    for index, origin in enumerate(entry["origins"]):
        try:
            origins.append(normalise_origin(origin))
        except ValueError as error:
            raise RegistryError(f"{where}: field 'origins.{index}': {error}") from None
    default_locale = entry.get("default_locale")
    if default_locale is not None and default_locale not in KNOWN_LOCALES:
        raise RegistryError(
            f"{where}: field 'default_locale': {default_locale!r} is not one of "
            + ", ".join(KNOWN_LOCALES)
        )
    lines = []
    for index, line in enumerate(entry.get("helplines", [])):
        try:
            lines.append(_line(line))
        except ValueError as error:
            raise RegistryError(f"{where}: field 'helplines.{index}': {error}") from None
    theme = None
    if "theme" in entry:
        raw = dict(entry["theme"])
        adjust = bool(raw.pop("adjust_contrast", False))
        theme_warnings: list[str] = []
        try:
            theme = build_theme(raw, adjust, theme_warnings)
        except ThemeError as error:
            raise RegistryError(f"{where}: field 'theme': {error}") from None
        warnings.extend(f"{where}: theme: {warning}" for warning in theme_warnings)
    return Partner(
        id=entry["id"],
        name=entry["name"],
        origins=tuple(origins),
        default_locale=default_locale,
        widgets=tuple(entry.get("widgets", widgets)),
        helplines=tuple(lines),
        theme=theme,
    )


def _validator(widgets: tuple[str, ...]) -> Draft202012Validator:
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    # The names a partner may list are the catalogue's, not a copy in the schema.
    schema["properties"]["partners"]["items"]["properties"]["widgets"]["items"] = {
        "enum": list(widgets)
    }
    return Draft202012Validator(schema)


def parse_registry(
    data: Any, name: str = "partner registry", widgets: tuple[str, ...] = WIDGETS
) -> Registry:
    """Check a registry document (already read from YAML) and build it; `widgets` are
    the names a partner may list (the catalogue's)."""
    errors = sorted(
        _validator(widgets).iter_errors(data), key=lambda error: list(error.absolute_path)
    )
    if errors:
        error = errors[0]
        path = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        raise RegistryError(f"{name}: field '{path}': {error.message}")
    registry = Registry()
    for entry in data["partners"]:
        if entry["id"] in registry.partners:
            raise RegistryError(f"{name}: partner '{entry['id']}' is listed twice")
        try:
            registry.partners[entry["id"]] = _partner(entry, registry.warnings, widgets)
        except RegistryError as error:
            raise RegistryError(f"{name}: {error}") from None
    return registry


def load_registry(path: Path | None, widgets: tuple[str, ...] = WIDGETS) -> Registry:
    """The registry in a YAML file; no file means no partners (the open defaults)."""
    if path is None:
        return Registry()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: missing") from None
    except yaml.YAMLError as error:
        raise RegistryError(f"{path}: not valid YAML: {error}") from None
    registry = parse_registry(data, str(path), widgets)
    for warning in registry.warnings:
        log.warning("%s: %s", path, warning)
    return registry
