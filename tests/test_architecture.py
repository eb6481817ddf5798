"""The package's layers, read from the import graph: lower layers never import higher ones.

Every import counts, also the lazy ones inside functions (they are how a verb reaches a heavier
module): a module may import its own package and anything in a lower layer, never a sibling of
its own layer nor anything above it. docs/architecture.md draws the same table.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "alembic_sentinel"

# top to bottom; the units of one layer are independent of each other
LAYERS: tuple[tuple[str, ...], ...] = (
    ("hooks", "__main__", "flask_command"),
    ("cli",),
    ("error_handler",),
    ("ci", "commands"),
    ("plan",),
    ("lint", "drift", "data"),
    ("graph", "engine"),
    ("settings",),
    ("flask_app",),
    ("report", "errors", "redaction"),
)
LAYER_OF = {unit: index for index, units in enumerate(LAYERS) for unit in units}

# The static side runs in pre-commit's isolated virtualenv and on every commit: these units
# never import the heavy libraries when they are imported (only inside the functions that need
# them), so `heads` and `lint` start in a few hundredths of a second.
STATIC_UNITS = (
    "graph",
    "lint",
    "plan",
    "report",
    "hooks",
    "cli",
    "error_handler",
    "settings",
    "flask_app",
    "errors",
    "redaction",
)
HEAVY = ("sqlalchemy", "alembic", "git", "mako", "flask")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit(module: str) -> str:
    """`alembic_sentinel.graph.revision_graph` -> "graph"; the package root -> ""."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def package_modules() -> dict[str, ast.Module]:
    return {
        module_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


MODULES = package_modules()


def imported_modules(tree: ast.Module, importer: str) -> Iterator[tuple[str, int]]:
    """Every package module `importer` imports (`from a.b import c` -> a.b.c when a module)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{importer}:{node.lineno}: relative import")
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] != "alembic_sentinel":
                continue
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                yield (candidate if candidate in MODULES else node.module), node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "alembic_sentinel":
                    yield alias.name, node.lineno


def module_level_imports(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """Top-level names imported when the module is imported (not under TYPE_CHECKING)."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            yield from ((alias.name.split(".")[0], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module.split(".")[0], node.lineno
        elif isinstance(node, ast.If):
            if ast.unparse(node.test) != "TYPE_CHECKING":
                pending.extend(node.body)
            pending.extend(node.orelse)
        elif isinstance(node, (ast.Try, ast.With)):
            pending.extend(node.body)
            for handler in getattr(node, "handlers", []):
                pending.extend(handler.body)


def test_every_module_belongs_to_a_layer() -> None:
    unplaced = sorted(m for m in MODULES if unit(m) and unit(m) not in LAYER_OF)
    assert unplaced == [], "add these to LAYERS and docs/architecture.md"


def test_no_module_imports_a_higher_layer_or_a_sibling_unit() -> None:
    violations = []
    for importer, tree in MODULES.items():
        source = unit(importer)
        for imported, line in imported_modules(tree, importer):
            target = unit(imported)
            if not target or target == source:
                continue
            if LAYER_OF[target] <= LAYER_OF[source]:
                violations.append(f"{importer}:{line} imports {imported}")
    assert violations == []


def test_the_import_graph_has_no_cycles() -> None:
    edges = {m: {i for i, _ in imported_modules(t, m) if i in MODULES} for m, t in MODULES.items()}
    # a package imports its __init__ first; that edge is not a cycle of ours
    for module, targets in edges.items():
        targets.discard(module)
        targets.discard("alembic_sentinel")
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize("static_unit", STATIC_UNITS)
def test_the_static_side_imports_no_heavy_library_at_module_level(static_unit: str) -> None:
    heavy = [
        f"{module}:{line} imports {name}"
        for module, tree in MODULES.items()
        if unit(module) == static_unit
        for name, line in module_level_imports(tree)
        if name in HEAVY
    ]
    assert heavy == []


def test_importing_every_static_module_loads_no_heavy_library() -> None:
    static = [m for m in MODULES if unit(m) in STATIC_UNITS]
    code = (
        "import importlib, sys\n"
        f"for name in {static!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_every_subpackage_says_what_it_owns_and_may_import() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        name = init.parent.name
        below = sorted(u for u in LAYER_OF if LAYER_OF[u] > LAYER_OF[name] and u != "__main__")
        assert "May import:" in doc, f"{init}: no 'May import:' line"
        allowed = doc.split("May import:", 1)[1].split(".")[0]
        named = sorted(word.strip(" `/,\n") for word in allowed.replace(" and ", ",").split(","))
        assert [n for n in named if n and n != "nothing else"] == below, init


def test_no_module_is_over_500_lines_without_a_reason_at_its_top() -> None:
    long = [
        module
        for module, tree in MODULES.items()
        if (PACKAGE.parent / (module.replace(".", "/") + ".py")).exists()
        and len((PACKAGE.parent / (module.replace(".", "/") + ".py")).read_text().splitlines())
        > 520
        and "Longer than" not in (ast.get_docstring(tree) or "")
    ]
    assert long == []


def test_the_architecture_doc_lists_every_package_and_module() -> None:
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        module
        for module in MODULES
        if module.count(".") >= 1
        and not module.endswith("__main__")
        and f"`{module.split('.', 1)[1].replace('.', '/')}" not in doc
    ]
    assert missing == []


def test_every_module_imports_on_this_python() -> None:
    """A module-level expression newer than the oldest supported Python (`A | B` as an alias on
    3.9) breaks every verb that imports it; the oldest-stack run (noxfile.py) imports them all."""
    script = (
        "import importlib, pkgutil, alembic_sentinel\n"
        "for module in pkgutil.walk_packages(alembic_sentinel.__path__, 'alembic_sentinel.'):\n"
        "    if not module.name.endswith('__main__'):\n"
        "        importlib.import_module(module.name)\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert imported.returncode == 0, imported.stderr[-2000:]
