"""The import graph between widget's packages and top-level modules has no cycle.

Each node is a package (widget/embed, widget/helpline, …) or a top-level
module (widget/headers.py, …); an edge is any import, also one inside a
function, from a file of one node to another. widget/__init__.py is left out:
it is the app factory, the one place that wires every part together.
Before issue 20 eleven nodes formed one cycle (helpline ⇄ partners through the
phone formatting, fragment_cache ⇄ the features it reloads, rendering → embed,
errors → helpline, requestlog → feedback).
"""

from __future__ import annotations

import ast
from pathlib import Path

WIDGET = Path(__file__).resolve().parent.parent / "widget"
# Infrastructure every feature uses: it must know no feature package.
INFRASTRUCTURE = ("fragment_cache", "requestlog", "errors", "rendering", "sources", "pipeline")
FEATURES = ("helpline", "substances", "feedback", "embed", "partners", "audit")


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        if node.module == "widget":
            return [f"widget.{alias.name}" for alias in node.names]
        return [node.module]
    return []


def import_graph(root: Path) -> dict[str, set[str]]:
    """Node → the nodes it imports, for the package at `root`."""
    package = root.name
    nodes = {p.stem for p in root.glob("*.py") if p.name != "__init__.py"}
    # Packages, and folders of scripts (migrations) that are not packages.
    nodes |= {p.name for p in root.iterdir() if p.is_dir() and any(p.rglob("*.py"))}
    graph: dict[str, set[str]] = {node: set() for node in nodes}
    for path in root.rglob("*.py"):
        if path == root / "__init__.py":
            continue
        source = path.relative_to(root).with_suffix("").parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _imported(node):
                parts = name.split(".")
                if parts[0] == package and len(parts) > 1 and parts[1] in nodes:
                    if parts[1] != source:
                        graph[source].add(parts[1])
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_package_import_graph_has_no_cycle() -> None:
    graph = import_graph(WIDGET)
    assert {"helpline", "partners", "fragment_cache", "embed", "rendering"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_infrastructure_imports_no_feature_package() -> None:
    graph = import_graph(WIDGET)
    for module in INFRASTRUCTURE:
        assert not graph[module] & set(FEATURES), (module, sorted(graph[module] & set(FEATURES)))


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    # The check itself: two modules of a small package import each other, one
    # of them inside a function (as rendering once imported embed).
    package = tmp_path / "widget"
    (package / "feature").mkdir(parents=True)
    (package / "__init__.py").write_text("from widget import infra\n")
    (package / "feature" / "__init__.py").write_text("")
    (package / "feature" / "views.py").write_text("from widget.infra import render\n")
    (package / "infra.py").write_text("def render():\n    from widget.feature import views\n")
    graph = import_graph(package)
    assert graph == {"infra": {"feature"}, "feature": {"infra"}}
    assert find_cycle(graph) == ["feature", "infra", "feature"]
