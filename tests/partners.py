"""Helpers for the partner tests: a registry document to vary, and an app that loads it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import yaml
from flask import Flask

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_REGISTRY = ROOT / "examples" / "partners.yaml"
ALLOWED = "https://www.riverside-clinic.example"
STRANGER = "https://elsewhere.example"


def example_registry() -> dict:
    """The example partners, their origins set to one https origin each."""
    data = yaml.safe_load(EXAMPLE_REGISTRY.read_text(encoding="utf-8"))
    for partner in data["partners"]:
        partner["origins"] = [ALLOWED]
    return copy.deepcopy(data)


def write_registry(folder: Path, data: dict) -> Path:
    path = folder / "partners.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def partner_app(make_app: Callable[..., Flask], folder: Path, data: dict | None = None) -> Flask:
    return make_app(PARTNERS_FILE=str(write_registry(folder, data or example_registry())))
