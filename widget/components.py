"""The component files beside the widget templates: parameters, examples, criteria.

Each widget documents itself in a YAML file beside its template, in the manner
of GOV.UK Frontend: every parameter, named examples (the fixtures of the
accessibility tests and of the gallery) and accessibility criteria in plain
words. The files are checked against components.schema.yaml and each other on
first use; a malformed one raises ComponentError naming the file and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from jsonschema import Draft202012Validator

TEMPLATES_DIR = Path(__file__).resolve().with_name("templates")
SCHEMA_FILE = Path(__file__).resolve().with_name("components.schema.yaml")

# Who each group of criteria is for, in the order checklists show them.
GROUPS: dict[str, str] = {
    "screen-reader": "Screen reader users",
    "keyboard": "Keyboard users",
    "voice-control": "Voice control users",
    "magnification": "Magnifier and zoom users",
    "low-vision": "Low-vision users (contrast, forced colours)",
    "cognitive": "Cognitive and plain language",
}


class ComponentError(ValueError):
    """A component file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Parameter:
    """One parameter a widget's address takes."""

    name: str
    location: str  # "query" or "path"
    type: str
    default: str | None
    description: str
    allowed: tuple[str, ...] | None = None  # the complete list, when there is one
    values: str | None = None  # what is accepted, in words, otherwise
    invalid: int | str | None = None  # 400, 404 or "fallback"
    internal: bool = False  # set by the service's own redirects, not by partners


@dataclass(frozen=True)
class Example:
    """A named example: an address to render and, for a form, the step to reach."""

    component: str
    name: str
    description: str
    path: str
    query: dict[str, str] = field(hash=False)
    state: str | None = None

    @property
    def id(self) -> str:
        """Unique among all examples: "helpline-banner.crisis"."""
        return f"{self.component}.{self.name}"

    @property
    def heading_level(self) -> int:
        """The level of the widget's top heading (a host page needs the levels above it)."""
        return int(self.query.get("heading", "2"))


@dataclass(frozen=True)
class Criterion:
    """What must hold for a group of people, and what checks it."""

    id: str
    group: str
    criterion: str
    wcag: tuple[str, ...]
    steps: tuple[str, ...]
    automated_by: tuple[str, ...] = ()  # pytest node ids
    manual: bool = False  # only a person can check it


@dataclass(frozen=True)
class Embed:
    """How partners embed a component's address (the catalogue's facts, widget/catalogue.py)."""

    widget: str  # the embeddable widget it belongs to
    label: str  # msgid: what the embed builder calls the widget
    position: int  # its place among the widgets
    path: str  # the address, a path parameter in braces
    frame_title: str | None  # msgid; None: the content names it
    frame_height: int | dict[str, int]  # one, or one per variant
    cache: str  # public or private
    options: tuple[str, ...]  # the partner's choices the address carries, in order


@dataclass(frozen=True)
class Component:
    """One widget as its component file documents it."""

    name: str  # the data-widget name
    title: str
    description: str
    template: str
    endpoint: str
    source: Path
    states: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    examples: tuple[Example, ...]
    criteria: tuple[Criterion, ...]
    embed: Embed

    def parameter(self, name: str) -> Parameter:
        """The parameter called `name` (KeyError if undocumented)."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)

    def example(self, name: str) -> Example:
        """The example called `name` (KeyError if there is none)."""
        return {e.name: e for e in self.examples}[name]


def example_url(example: Example, lang: str | None = None) -> str:
    """The example's URL path and query; `lang` replaces any language the example names."""
    query = dict(example.query)
    if lang is not None:
        query["lang"] = lang
    # ":" and "/" stay readable in a page address given as a value (both are legal there).
    return example.path + (f"?{urlencode(query, safe=':/')}" if query else "")


@cache
def _validator() -> Draft202012Validator:
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _field(path: Any) -> str:
    return ".".join(str(part) for part in path) or "(top)"


def _fail(source: Path, where: str, problem: str) -> ComponentError:
    return ComponentError(f"{source}: field '{where}': {problem}")


def _read(source: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ComponentError(f"{source}: not valid YAML: {error}") from None
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise _fail(source, _field(errors[0].absolute_path), errors[0].message)
    return data


def _unique(source: Path, where: str, names: list[str]) -> None:
    for index, name in enumerate(names):
        if name in names[:index]:
            raise _fail(source, f"{where}.{index}", f"'{name}' is repeated")


def _parameters(source: Path, data: dict[str, Any]) -> tuple[Parameter, ...]:
    parameters = []
    for index, raw in enumerate(data["parameters"]):
        where = f"parameters.{index}"
        if ("allowed" in raw) == ("values" in raw):
            raise _fail(source, where, "give either 'allowed' (a list) or 'values' (in words)")
        allowed = tuple(raw["allowed"]) if "allowed" in raw else None
        if allowed and raw["default"] is not None and raw["default"] not in allowed:
            raise _fail(source, f"{where}.default", f"'{raw['default']}' is not allowed")
        if raw["type"] in ("enum", "boolean", "integer") and allowed is None:
            raise _fail(source, where, f"a {raw['type']} parameter lists its 'allowed' values")
        parameters.append(
            Parameter(
                name=raw["name"],
                location=raw["in"],
                type=raw["type"],
                default=raw["default"],
                description=raw["description"],
                allowed=allowed,
                values=raw.get("values"),
                invalid=raw.get("invalid"),
                internal=raw.get("internal", False),
            )
        )
    _unique(source, "parameters", [p.name for p in parameters])
    return tuple(parameters)


def _examples(
    source: Path, data: dict[str, Any], parameters: tuple[Parameter, ...]
) -> tuple[Example, ...]:
    query_parameters = {p.name: p for p in parameters if p.location == "query"}
    states = data.get("states", [])
    examples = []
    for index, raw in enumerate(data["examples"]):
        where = f"examples.{index}"
        for key, value in raw["query"].items():
            parameter = query_parameters.get(key)
            if parameter is None:
                raise _fail(source, f"{where}.query.{key}", "not a documented query parameter")
            if parameter.allowed and value not in parameter.allowed:
                raise _fail(source, f"{where}.query.{key}", f"'{value}' is not allowed")
        state = raw.get("state")
        if states and state not in states:
            raise _fail(source, f"{where}.state", f"must be one of {', '.join(states)}")
        if state is not None and not states:
            raise _fail(source, f"{where}.state", "this component has no states")
        examples.append(
            Example(data["name"], raw["name"], raw["description"], raw["path"], raw["query"], state)
        )
    _unique(source, "examples", [e.name for e in examples])
    return tuple(examples)


def _criteria(data: dict[str, Any]) -> tuple[Criterion, ...]:
    return tuple(
        Criterion(
            id=raw["id"],
            group=raw["group"],
            criterion=raw["criterion"],
            wcag=tuple(raw["wcag"]),
            steps=tuple(raw["steps"]),
            automated_by=tuple(raw.get("automated_by", ())),
            manual=raw.get("manual", False),
        )
        for raw in data["criteria"]
    )


def _embed(source: Path, data: dict[str, Any], parameters: tuple[Parameter, ...]) -> Embed:
    raw = data["embed"]
    query = {p.name: p for p in parameters if p.location == "query"}
    for index, option in enumerate(raw["options"]):
        if option not in query:
            raise _fail(source, f"embed.options.{index}", f"'{option}' is not a query parameter")
    path_parameters = [p.name for p in parameters if p.location == "path"]
    in_path = re.findall(r"\{([a-z_]+)\}", raw["path"])
    if in_path != path_parameters:
        raise _fail(
            source, "embed.path", f"names {in_path}, the path parameters are {path_parameters}"
        )
    if "frame_title" not in raw and not in_path:
        raise _fail(source, "embed.frame_title", "required for an address without a path parameter")
    height = raw["frame_height"]
    if isinstance(height, dict):
        variants = query["variant"].allowed if "variant" in query else None
        if variants is None or sorted(height) != sorted(variants):
            raise _fail(source, "embed.frame_height", "give one height per value of 'variant'")
    return Embed(
        widget=raw["widget"],
        label=raw["label"],
        position=raw["position"],
        path=raw["path"],
        frame_title=raw.get("frame_title"),
        frame_height=height,
        cache=raw["cache"],
        options=tuple(raw["options"]),
    )


def load_component(source: Path, templates_dir: Path = TEMPLATES_DIR) -> Component:
    """Read and check one component file."""
    data = _read(source)
    template = source.relative_to(templates_dir).with_suffix(".html").as_posix()
    if data["template"] != template:
        raise _fail(source, "template", f"is '{data['template']}', the file sits beside {template}")
    if not (templates_dir / template).is_file():
        raise _fail(source, "template", f"no template {template}")
    parameters = _parameters(source, data)
    return Component(
        name=data["name"],
        title=data["title"],
        description=data["description"],
        template=template,
        endpoint=data["endpoint"],
        source=source,
        states=tuple(data.get("states", ())),
        parameters=parameters,
        examples=_examples(source, data, parameters),
        criteria=_criteria(data),
        embed=_embed(source, data, parameters),
    )


@cache
def _load(templates_dir: Path) -> tuple[Component, ...]:
    components = tuple(
        load_component(source, templates_dir) for source in sorted(templates_dir.rglob("*.yaml"))
    )
    seen: dict[str, Path] = {}
    names: dict[str, Path] = {}
    for component in components:
        if component.name in names:
            raise _fail(component.source, "name", f"also the name in {names[component.name]}")
        names[component.name] = component.source
        for index, criterion in enumerate(component.criteria):
            if criterion.id in seen:
                raise _fail(
                    component.source,
                    f"criteria.{index}.id",
                    f"'{criterion.id}' is already used in {seen[criterion.id]}",
                )
            seen[criterion.id] = component.source
    return components


def load_components(templates_dir: Path | None = None) -> tuple[Component, ...]:
    """Every component file under the templates folder, checked (loaded once)."""
    return _load((templates_dir or TEMPLATES_DIR).resolve())
