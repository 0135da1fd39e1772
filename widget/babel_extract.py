"""A Babel extractor for the English sentences kept in YAML data files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

# Keys whose string values (or lists of strings) are visitor-facing English.
TRANSLATABLE_KEYS = frozenset(
    {"name", "summary", "hours", "languages", "label", "language_note", "notes"}
)


def _is_reference_line(node: yaml.MappingNode) -> bool:
    # Reference lines (tier: reference) are only cited by content as numbers;
    # nothing shows their names, so translators need not meet them.
    return any(
        k.value == "tier" and getattr(v, "value", None) == "reference" for k, v in node.value
    )


def _walk(
    node: yaml.Node, key: str | None, keys: frozenset[str] = TRANSLATABLE_KEYS
) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode) and _is_reference_line(node):
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield from _walk(value_node, key_node.value, keys)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, key, keys)
    elif isinstance(node, yaml.ScalarNode) and key in keys and node.value:
        yield node.start_mark.line + 1, node.value


def extract_yaml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (line, funcname, message, comments) for every translatable YAML value.

    A babel.cfg section may name its own keys (`keys = label, frame_title`):
    the component files hold translatable text under those keys only.
    """
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    keys = TRANSLATABLE_KEYS
    if options.get("keys"):
        keys = frozenset(key.strip() for key in options["keys"].split(","))
    for line, message in _walk(root, None, keys):
        yield line, "gettext", message, []
