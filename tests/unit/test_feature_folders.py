"""Feature folders import each other in one direction only: no circle between rooms, none between modules.

Reads every import of ``services/`` and ``ui/`` with ``ast`` (including imports inside functions and under
``TYPE_CHECKING``: a circle there is still a circle in the design). A room is a feature folder
(``ui/clients``) or a module at the top of its layer (``ui/main_window.py``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "salon_desk"
LAYERS = ("services", "ui")
# Each layer's package `__init__` is its composition root (services/__init__ opens every service).
ROOTS = {"salon_desk.services", "salon_desk.ui"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    """Every module of the two layers, by dotted name."""
    return {module_name(path): path for layer in LAYERS for path in sorted((PACKAGE / layer).rglob("*.py"))}


def imports_of(path: Path, modules: dict[str, Path]) -> Iterator[tuple[int, str]]:
    """(line, module) for each import of a module of the two layers (``from pkg import mod`` names ``mod``)."""
    current = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = current.split(".") if path.name == "__init__.py" else current.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield node.lineno, full if full in modules else base


def room(module: str) -> str | None:
    """The feature folder or top-level module ``module`` belongs to (None for a layer's root)."""
    if module in ROOTS:
        return None
    parts = module.split(".")
    return ".".join(parts[:3])


def module_graph() -> dict[str, dict[str, int]]:
    """module -> {imported module: line} within the two layers."""
    modules = all_modules()
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        edges = graph.setdefault(name, {})
        for line, target in imports_of(path, modules):
            if target in modules and target != name:
                edges.setdefault(target, line)
    return graph


def room_graph() -> dict[str, dict[str, str]]:
    """room -> {imported room: 'module:line' of one import that makes the edge}."""
    rooms: dict[str, dict[str, str]] = {}
    for source, edges in module_graph().items():
        source_room = room(source)
        if source_room is None:
            continue
        targets = rooms.setdefault(source_room, {})
        for target, line in edges.items():
            target_room = room(target)
            if target_room is not None and target_room != source_room:
                targets.setdefault(target_room, f"{source}:{line}")
    return rooms


def circles(graph: dict[str, dict[str, object]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe(component: list[str], graph: dict[str, dict[str, object]]) -> str:
    members = set(component)
    edges = [f"  {a} -> {b} ({where})" for a in component for b, where in graph[a].items() if b in members]
    return "\n".join(edges)


def test_the_layers_are_split_into_feature_folders() -> None:
    for layer in LAYERS:
        folders = {p.name for p in (PACKAGE / layer).iterdir() if p.is_dir() and (p / "__init__.py").exists()}
        assert {"clients", "categories", "groups", "catalogue", "checkout", "staff"} <= folders
    assert (PACKAGE / "ui" / "common" / "__init__.py").exists()


def test_no_circle_between_feature_folders() -> None:
    graph = room_graph()
    found = circles(graph)
    assert not found, "feature folders import each other in a circle:\n" + "\n".join(
        describe(component, graph) for component in found
    )


def test_no_circle_between_modules() -> None:
    graph = {name: {target: str(line) for target, line in edges.items()} for name, edges in module_graph().items()}
    found = circles(graph)
    assert not found, "modules import each other in a circle:\n" + "\n".join(
        describe(component, graph) for component in found
    )


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b": "1"}, "b": {"c": "2"}, "c": {"a": "3"}, "d": {"a": "4"}}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b": "1"}, "b": {}}) == []
