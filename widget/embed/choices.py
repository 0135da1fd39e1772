"""One embeddable widget as a partner chooses it, and its address."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask import has_app_context
from flask_babel import force_locale, gettext

from widget import catalogue
from widget.catalogue import Address, Catalogue
from widget.locales import KNOWN_LOCALES, match_locale
from widget.params import DEFAULT_HEADING_LEVEL
from widget.substances.library import library

# The built-in widgets as the catalogue lists them (widget/catalogue.py); the
# code below asks the running app's catalogue, which may hold more.
_BUILTIN = catalogue.builtin()
WIDGETS = _BUILTIN.names
PATHS = {w.name: w.address().path for w in _BUILTIN.widgets}
# The endpoint of every GET widget, and the widget it is.
ENDPOINTS = {endpoint: w.name for endpoint, (w, _) in _BUILTIN.by_endpoint.items()}
# An iframe's height in its first state at FRAME_WIDTH (CSS px, English), the
# oEmbed height; embed.css sets the height for other widths (measured by
# scripts/slot_heights.py) and embed.js the exact one once the frame reports.
FRAME_HEIGHTS = {
    (w.name, key): a.frame_height(variant)
    for w in _BUILTIN.widgets
    for a in w.addresses
    for key, variant in (
        [(v, v) for v in a.variants]
        or [("summary" if a.path_parameter else "index" if len(w.addresses) > 1 else "", "")]
    )
}
FRAME_WIDTH = 640


def _catalogue() -> Catalogue:
    return catalogue.current() if has_app_context() else _BUILTIN


@dataclass(frozen=True)
class Choice:
    """A widget with the options a partner picked; unset options are the widget's defaults."""

    widget: str = "helpline-banner"
    variant: str = "full"
    substance: str = ""  # the summary's slug; "" is the index
    lang: str = ""  # "" lets the visitor's browser choose
    heading: int = DEFAULT_HEADING_LEVEL
    partner: str = ""
    page: str = ""  # feedback form: the page the feedback is about
    collapsible: bool = False  # substance summary: sections as native disclosures

    def address(self) -> Address:
        """The widget's address this choice shows (a summary's, or the index's)."""
        return _catalogue().widget(self.widget).address(self.substance)

    def path(self) -> str:
        address = self.address()
        if address.path_parameter:
            return address.path.replace("{" + address.path_parameter + "}", self.substance)
        return address.path

    def chosen_variant(self) -> str:
        """The variant, when the widget has it (another widget's variant means its default)."""
        address = self.address()
        return self.variant if self.variant in address.variants else address.default_variant

    def _option(self, name: str) -> str:
        if name == "variant":
            return self.chosen_variant()
        if name == "heading":
            return str(self.heading)
        if name == "collapsible":
            return "true" if self.collapsible else "false"
        return getattr(self, name)

    def query(self) -> dict[str, str]:
        """Only what differs from the defaults, in a stable order (the component's options)."""
        component = self.address().component
        query: dict[str, str] = {}
        for name in component.embed.options:
            value = self._option(name)
            if value and value != (component.parameter(name).default or ""):
                query[name] = value
        return query

    def url(self, service: str) -> str:
        """The absolute address on the service (`service` is its root URL)."""
        query = urlencode(self.query())
        return service.rstrip("/") + self.path() + ("?" + query if query else "")

    def frame_height(self) -> int:
        return self.address().frame_height(self.chosen_variant())

    def slot(self) -> str:
        """The placeholder's size class name in static/embed.css."""
        return self.address().slot(self.chosen_variant())

    def title(self, locale_tag: str) -> str:
        """What the widget is, in a locale: the iframe's title and the fallback link's text."""
        with force_locale(KNOWN_LOCALES[locale_tag].babel_id):
            address = self.address()
            if address.path_parameter:
                return library().summary(self.substance, locale_tag)[0].name
            return gettext(address.component.embed.frame_title or "")

    def with_(self, **changes: object) -> Choice:
        return replace(self, **changes)


def every_choice(partner: str = "", widgets: tuple[str, ...] | None = None) -> list[Choice]:
    """Every GET widget a partner uses, in every variant and substance, default options."""
    known = _catalogue()
    choices = []
    for name in known.names if widgets is None else widgets:
        for address in known.widget(name).addresses:
            if address.path_parameter:
                choices += [
                    Choice(name, substance=s, partner=partner) for s in library().substances
                ]
            elif address.variants:
                choices += [Choice(name, variant=v, partner=partner) for v in address.variants]
            else:
                choices.append(Choice(name, partner=partner))
    return choices


def from_query(widget: str, view_args: Mapping[str, str], args: Mapping[str, str]) -> Choice:
    """The Choice a widget address stands for (its parameters already checked by the view)."""
    heading = args.get("heading") or ""
    return Choice(
        widget=widget,
        variant=args.get("variant") or "full",
        substance=view_args.get("requested", ""),
        # The widget reads any tag (es-MX, ES, zh-TW) as the locale it serves, and an
        # unknown one as "let the browser choose": the choice records the same.
        lang=match_locale(args.get("lang")) or "",
        heading=int(heading) if heading.isdigit() else DEFAULT_HEADING_LEVEL,
        partner=args.get("partner", ""),
        page=args.get("page", ""),
        collapsible=args.get("collapsible") == "true",
    )
