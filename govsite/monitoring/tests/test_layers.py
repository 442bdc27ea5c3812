"""The layers of 网站监测 hold by construction: read from the source's imports (ast), not from what ran.

Fetching and decoding read pages, the site model (站点模型) reads them into columns, items, footer facts and
links, and only the checks judge; an export reads the selectors, never a view; test fixtures live in
`govsite.testing`. Imports count wherever they are written: at module level, under TYPE_CHECKING or inside
a function.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOVSITE = ROOT / "govsite"
# The crawler and what it is made of, and the reading layer the checks judge.
READERS = (
    "govsite.monitoring.crawler",
    "govsite.monitoring.fetch",
    "govsite.monitoring.decode",
    "govsite.monitoring.links",
    "govsite.monitoring.html",
    "govsite.monitoring.sitemodel",
    "govsite.monitoring.dates",
)
CHECK_PACKAGES = ("govsite.monitoring.checks", "govsite.checks")


def _path(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _package(module: str) -> str:
    path = _path(module)
    return module if path is not None and path.name == "__init__.py" else module.rpartition(".")[0]


def _imports(module: str, *, module_level_only: bool = False) -> Iterator[str]:
    """The govsite modules `module` imports (absolute names)."""
    path = _path(module)
    assert path is not None, module
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = _module_level(tree.body) if module_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package(module)
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            yield target
            for alias in node.names:
                if _path(f"{target}.{alias.name}") is not None:  # `from . import views`: the module itself
                    yield f"{target}.{alias.name}"


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run on import: the top level and its `if`/`try` blocks (TYPE_CHECKING too), not functions."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.Try):
            yield from _module_level(node.body + node.orelse + getattr(node, "finalbody", []))
            for handler in getattr(node, "handlers", []):
                yield from _module_level(handler.body)


@cache
def _closure(module: str) -> frozenset[str]:
    """Every govsite module `module` reaches through its imports, itself included."""
    seen = {module}
    todo = [module]
    while todo:
        for target in _imports(todo.pop()):
            if target.startswith("govsite") and _path(target) is not None and target not in seen:
                seen.add(target)
                todo.append(target)
    return frozenset(seen)


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


@pytest.mark.parametrize("module", READERS)
def test_crawler_and_site_model_reach_no_check_module(module: str) -> None:
    reached = sorted(m for m in _closure(module) if _in(m, CHECK_PACKAGES))
    assert reached == [], f"{module} imports check modules: {reached}"


def test_the_layer_test_sees_imports_inside_functions() -> None:
    # The crawler reads attachments through an import inside a function; the closure must follow it.
    assert "govsite.core.filetext" in _closure("govsite.monitoring.crawler")


def test_the_exports_read_selectors_and_import_no_view() -> None:
    assert "govsite.monitoring.views" not in _closure("govsite.monitoring.xlsx")
    assert "govsite.monitoring.views" not in _closure("govsite.monitoring.selectors")


def _monitoring_modules() -> list[str]:
    modules = []
    for path in sorted((GOVSITE / "monitoring").rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        modules.append(".".join(parts))
    return modules


def test_monitoring_has_no_import_loop() -> None:
    modules = set(_monitoring_modules())
    graph = {m: {t for t in _imports(m, module_level_only=True) if t in modules and t != m} for m in modules}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    loops: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                loops.append([*path[path.index(target):], module, target] if target in path else [module, target])
            elif target not in state:
                visit(target, [*path, module])
        state[module] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module, [])
    assert loops == []


def _production_modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(GOVSITE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if {"tests", "testing", "migrations"} & set(relative.parts) or path.name == "conftest.py":
            continue
        parts = relative.with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def test_no_production_module_uses_the_testing_package_but_the_demo() -> None:
    # The demo serves its non-hosted sites with the fake-site generator (`govsite serve_demo_sites`).
    users = sorted(
        module
        for module, _path_ in _production_modules()
        if any(_in(target, ("govsite.testing",)) for target in _imports(module))
    )
    assert users == ["govsite.demo.sites"]


def test_no_fake_site_or_factory_inside_a_production_package() -> None:
    names = {path.name for _module, path in _production_modules()}
    assert not {"fakesite.py", "factories.py", "fixtures.py"} & names
