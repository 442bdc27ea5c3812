"""No import loops (issue 11): the imports of govsite form no cycle, counting imports inside functions too (a lazy
import that only hides a loop is still a loop).

Checked on the source with `ast`: imports under `if TYPE_CHECKING:` are ignored (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import govsite

GOVSITE = Path(govsite.__file__).parent
ROOT = GOVSITE.parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, *, in_functions: bool, source: str | None = None) -> set[str]:
    """The modules a file imports when it runs (and, with `in_functions`, when its functions run)."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if in_functions:
                    visit(node.body)
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                visit(node.orelse)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                module = (f"{base}.{node.module}" if node.module else base) if node.level else node.module or ""
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in node.names)  # `from pkg import submodule`
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit(getattr(node, field, None) or [])

    visit(tree.body)
    return found


def import_graph(paths: list[Path], *, in_functions: bool) -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in paths}
    return {name: (imports_of(path, in_functions=in_functions) & modules.keys()) - {name}
            for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph as [a, b, …, a], or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (cycle := walk(target)):
                return cycle
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (cycle := walk(start)):
            return cycle
    return []


def _production_files(package: Path) -> list[Path]:
    return [p for p in package.rglob("*.py") if not {"tests", "migrations"} & set(p.relative_to(GOVSITE).parts)]


def test_govsite_has_no_module_level_import_cycle() -> None:
    graph = import_graph(_production_files(GOVSITE), in_functions=False)
    assert len(graph) > 100
    assert find_cycle(graph) == []


def test_govsite_has_no_import_cycle_even_inside_functions() -> None:
    graph = import_graph(_production_files(GOVSITE), in_functions=True)
    assert {"govsite.checks.models", "govsite.checks.workflow", "govsite.checks.pagecheck"} <= graph.keys()
    assert find_cycle(graph) == []


def test_the_walker_finds_a_cycle_and_skips_type_checking() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []
    probe = GOVSITE / "checks" / "probe.py"
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .models import X\n"
              "from . import workflow\ntry:\n    from .engine import check_text\nexcept ImportError:\n    pass\n"
              "def f():\n    from .pagecheck import check_page\n")
    assert imports_of(probe, in_functions=False, source=source) >= {"govsite.checks.workflow", "govsite.checks.engine"}
    assert "govsite.checks.models" not in imports_of(probe, in_functions=True, source=source)
    assert "govsite.checks.pagecheck" not in imports_of(probe, in_functions=False, source=source)
    assert "govsite.checks.pagecheck" in imports_of(probe, in_functions=True, source=source)
