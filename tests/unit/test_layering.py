"""The core (models, pricing, services and the plain top-level modules) never imports Qt."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "salon_desk"
CORE_PACKAGES = ("models", "pricing", "services")
# Plain top-level modules (checked when present); `__init__` runs on every import.
CORE_MODULES = ("__init__", "kinds", "errors", "i18n", "db", "paths", "settings", "textindex")
QT_ROOTS = frozenset({"PySide6", "PySide2", "shiboken6", "shiboken2",
                      "PyQt4", "PyQt5", "PyQt6", "qtpy"})
# The Qt layer itself: importing it from the core would bring Qt in indirectly.
UI_PACKAGE = "salon_desk.ui"


def core_files() -> list[Path]:
    """Every .py file of the core that exists now."""
    files = [PACKAGE / f"{name}.py" for name in CORE_MODULES]
    found = [path for path in files if path.is_file()]
    for name in CORE_PACKAGES:
        found.extend(sorted((PACKAGE / name).rglob("*.py")))
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    """Resolve `from ..x import y` against the module that contains it."""
    if node.level == 0:
        return node.module or ""
    base = current.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _forbidden(name: str) -> bool:
    return name.split(".")[0] in QT_ROOTS or name == UI_PACKAGE or name.startswith(
        UI_PACKAGE + "."
    )


def imported_names(path: Path) -> list[tuple[int, str]]:
    """(line, module) for each import in the file, including import_module("...") calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    current = module_name(path)
    is_package = path.name == "__init__.py"
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, current, is_package)
            names.append((node.lineno, module))
            # `from salon_desk import ui` imports the Qt layer as well.
            names.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            names.append((node.lineno, node.args[0].value))  # type: ignore[attr-defined]
    return names


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return (
        name in {"import_module", "__import__"}
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def test_core_source_never_imports_qt() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{line}: {name}"
        for path in core_files()
        for line, name in imported_names(path)
        if _forbidden(name)
    ]
    assert not offenders, (
        "models/, pricing/, services/ and the plain top-level modules must not "
        "import Qt or salon_desk.ui (DESIGN.md section 1):\n  " + "\n  ".join(offenders)
    )


_IMPORT_CHECK = r"""
import importlib, json, pkgutil, sys, traceback

packages, modules = json.loads(sys.argv[1])
qt_roots = set(json.loads(sys.argv[2]))
imported, errors, first = [], {}, None

def qt_loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] in qt_roots)

def load(name):
    global first
    try:
        importlib.import_module(name)
        imported.append(name)
    except Exception:
        errors[name] = traceback.format_exc(limit=5)
    if first is None and qt_loaded():
        first = name

def on_walk_error(name):
    errors[name] = traceback.format_exc(limit=5)

for name in modules:
    load(name)
for name in packages:
    load(name)
    package = sys.modules.get(name)
    if package is None:
        continue
    for info in pkgutil.walk_packages(package.__path__, name + ".", onerror=on_walk_error):
        load(info.name)

print(json.dumps({"imported": imported, "errors": errors, "qt": qt_loaded(), "first": first}))
"""


def test_importing_the_core_loads_no_qt() -> None:
    packages = [f"salon_desk.{n}" for n in CORE_PACKAGES if (PACKAGE / n).is_dir()]
    modules = [
        module_name(PACKAGE / f"{n}.py") for n in CORE_MODULES if (PACKAGE / f"{n}.py").is_file()
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHECK,
         json.dumps([packages, modules]), json.dumps(sorted(QT_ROOTS))],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert not report["errors"], "core modules failed to import:\n" + "\n".join(
        f"{name}:\n{trace}" for name, trace in report["errors"].items()
    )
    assert "salon_desk.services" in report["imported"]
    assert not report["qt"], (
        f"importing {report['first']} loaded Qt ({', '.join(report['qt'][:5])}, ...); "
        "the core must stay importable without a display (DESIGN.md section 1)"
    )
