"""The widget catalogue: every embeddable widget, built from the component files alone.

Each component file (widget/templates/<folder>/<name>.yaml, read by
widget/components.py) documents one widget address: its parameters, examples
and criteria, and in `embed` how partners embed it (the widget it belongs
to, its label in the embed builder, its frame title and heights, its cache
policy, the options its address carries). The catalogue gathers them:

- the embed builder, oEmbed and the export (widget/embed/) list and address
  the widgets from it;
- the partner registry (widget/partners/registry.py) accepts its widget names;
- HTTP caching (widget/httpcache.py) takes its public and private endpoints;
- the fragment cache and the language switcher keep its documented parameters;
- the gallery shows its examples; tests/test_catalogue.py checks openapi.yaml
  describes every address and parameter.

A folder of extra widgets (EXTRA_WIDGETS_DIR: a template and its component
file per folder, like widget/templates) joins the catalogue; an address
whose endpoint is `widgets.<name>` needs no view of its own: the generic one
(widget/generic.py) renders its template. docs/adding-a-widget.md has the steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from flask import Flask, current_app, request
from flask_babel import gettext
from jinja2 import ChoiceLoader, FileSystemLoader

from widget import params
from widget.components import TEMPLATES_DIR, Component, ComponentError, load_components

EXTENSION = "care_widgets.catalogue"


@dataclass(frozen=True)
class Address:
    """One address of a widget: its component file and what embedding it needs."""

    component: Component

    @property
    def endpoint(self) -> str:
        return self.component.endpoint

    @property
    def path(self) -> str:
        """The address, a path parameter in braces (/widgets/substance-summary/{slug})."""
        return self.component.embed.path

    @property
    def path_parameter(self) -> str | None:
        """The name of the path parameter, if the address has one."""
        names = [p.name for p in self.component.parameters if p.location == "path"]
        return names[0] if names else None

    @property
    def variants(self) -> tuple[str, ...]:
        """The values of `variant` (none when the address has no variants)."""
        for parameter in self.component.parameters:
            if parameter.name == "variant" and parameter.allowed:
                return parameter.allowed
        return ()

    @property
    def default_variant(self) -> str:
        return self.component.parameter("variant").default or "" if self.variants else ""

    def frame_height(self, variant: str) -> int:
        """The iframe's height at 640 px in English (per variant when it has several)."""
        height = self.component.embed.frame_height
        if isinstance(height, dict):
            return height[variant or self.default_variant]
        return height

    def slot(self, variant: str) -> str:
        """The placeholder's size class name in static/embed.css."""
        if self.variants:
            return f"{self.component.name}-{variant or self.default_variant}"
        return self.component.name

    def query_parameters(self) -> frozenset[str]:
        return frozenset(p.name for p in self.component.parameters if p.location == "query")


@dataclass(frozen=True)
class Widget:
    """An embeddable widget: what partners pick, with its one or two addresses."""

    name: str
    label: str  # msgid
    position: int
    addresses: tuple[Address, ...]

    def address(self, path_value: str = "") -> Address:
        """The address for a path value ("" picks the address without one)."""
        for address in self.addresses:
            if bool(address.path_parameter) == bool(path_value):
                return address
        return self.addresses[0]

    @property
    def variants(self) -> tuple[str, ...]:
        return next((a.variants for a in self.addresses if a.variants), ())

    def translated_label(self) -> str:
        return gettext(self.label)


@dataclass(frozen=True)
class Catalogue:
    """Every widget in builder order, and the lookups the service needs."""

    widgets: tuple[Widget, ...]
    # Every component file, in the order read (folders by name): the gallery's order.
    components: tuple[Component, ...]

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(w.name for w in self.widgets)

    def widget(self, name: str) -> Widget:
        """The widget called `name` (KeyError if there is none)."""
        return {w.name: w for w in self.widgets}[name]

    @cached_property
    def by_endpoint(self) -> dict[str, tuple[Widget, Address]]:
        return {a.endpoint: (w, a) for w in self.widgets for a in w.addresses}

    @cached_property
    def cache_policy(self) -> dict[str, str]:
        """Each widget endpoint's cache policy: public or private."""
        return {e: a.component.embed.cache for e, (_, a) in self.by_endpoint.items()}

    @cached_property
    def blueprints(self) -> tuple[str, ...]:
        """The blueprints that serve widgets (they resolve `partner`)."""
        return tuple(dict.fromkeys(e.split(".", 1)[0] for e in self.by_endpoint))

    @cached_property
    def parameters(self) -> dict[str, frozenset[str]]:
        """The query parameters each widget endpoint documents."""
        return {e: a.query_parameters() for e, (_, a) in self.by_endpoint.items()}

    @cached_property
    def all_parameters(self) -> frozenset[str]:
        """Every query parameter some widget documents."""
        return frozenset().union(*self.parameters.values())


def build(components: tuple[Component, ...]) -> Catalogue:
    """Group the component files by widget; components of one widget must agree."""
    grouped: dict[str, list[Component]] = {}
    seen: dict[str, Component] = {}
    for component in components:
        for key in (component.name, component.endpoint, component.embed.path):
            if key in seen:
                raise ComponentError(
                    f"{component.source}: '{key}' is already used in {seen[key].source}"
                )
            seen[key] = component
        grouped.setdefault(component.embed.widget, []).append(component)
    widgets = []
    for name, members in grouped.items():
        first = members[0].embed
        for other in members[1:]:
            for field in ("label", "position"):
                if getattr(other.embed, field) != getattr(first, field):
                    raise ComponentError(
                        f"{other.source}: field 'embed.{field}': differs from {members[0].source}"
                    )
        # The address without a path parameter first (the index before a summary).
        addresses = sorted((Address(c) for c in members), key=lambda a: a.path_parameter or "")
        widgets.append(Widget(name, first.label, first.position, tuple(addresses)))
    widgets.sort(key=lambda w: (w.position, w.name))
    return Catalogue(tuple(widgets), components)


@cache
def builtin() -> Catalogue:
    """The catalogue of the widgets in widget/templates."""
    return build(load_components())


def load(extra_dir: Path | None) -> Catalogue:
    """The built-in widgets and those of an extra folder."""
    if extra_dir is None:
        return builtin()
    return build(load_components() + load_components(extra_dir))


def current() -> Catalogue:
    """The catalogue of the running app."""
    return current_app.extensions.get(EXTENSION) or builtin()


def read_option(args: Mapping[str, str], name: str, endpoint: str | None = None) -> str:
    """A documented query parameter of this request's widget, checked as its component says:
    one of the allowed values (else a localized 400), or the default when absent."""
    _, address = current().by_endpoint[endpoint or request.endpoint or ""]
    parameter = address.component.parameter(name)
    if parameter.name == "heading":
        return str(params.heading_level(args))
    if parameter.type == "boolean":
        return "true" if params.boolean(args, name, parameter.default == "true") else "false"
    assert parameter.allowed is not None, f"{name} has no list of allowed values"
    return params.choice(args, name, parameter.allowed, parameter.default or "")


def init_app(app: Flask) -> None:
    """Build the app's catalogue (the built-in widgets and EXTRA_WIDGETS_DIR's)."""
    extra = app.config.get("EXTRA_WIDGETS_DIR")
    extra_dir = Path(extra).resolve() if extra else None
    catalogue = load(extra_dir)
    app.extensions[EXTENSION] = catalogue
    if extra_dir is not None:
        # Their templates are found beside the built-in ones.
        app.jinja_loader = ChoiceLoader(
            [FileSystemLoader(str(TEMPLATES_DIR)), FileSystemLoader(str(extra_dir))]
        )


def current_of(app: Flask) -> Catalogue:
    """The catalogue of `app` (for start-up code, before any request)."""
    return app.extensions.get(EXTENSION) or builtin()
