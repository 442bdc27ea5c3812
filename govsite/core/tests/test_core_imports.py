"""core is what every app builds on: it imports no domain app (issue 10). Checked on the source, so a new
import anywhere in govsite/core/*.py — also under TYPE_CHECKING or inside a function — fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import govsite

GOVSITE = Path(govsite.__file__).parent
CORE = GOVSITE / "core"
# Apps core may use: itself. Every other package under govsite/ with an apps.py is a domain app.
DOMAIN_APPS = sorted(p.parent.name for p in GOVSITE.glob("*/apps.py") if p.parent.name != "core")


def _imported_modules(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(source, filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against govsite.core.<subpackage>
                package = ".".join(["govsite", *path.relative_to(GOVSITE).parent.parts])
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _domain_imports(path: Path, source: str | None = None) -> list[str]:
    bad = []
    for lineno, module in _imported_modules(path, source):
        parts = module.split(".")
        if len(parts) >= 2 and parts[0] == "govsite" and parts[1] in DOMAIN_APPS:
            bad.append(f"{path.relative_to(GOVSITE.parent)}:{lineno} imports {module}")
    return bad


def test_domain_apps_are_found() -> None:
    assert {"registry", "content", "checks", "monitoring", "adminui", "demo"} <= set(DOMAIN_APPS)


def test_core_imports_no_domain_app() -> None:
    files = [p for p in CORE.rglob("*.py") if "tests" not in p.relative_to(CORE).parts]
    assert len(files) > 10
    bad = [line for path in files for line in _domain_imports(path)]
    assert bad == []


def test_the_check_catches_a_domain_import() -> None:
    # The walker itself must be able to fail: plain, relative-from-parent, and TYPE_CHECKING imports.
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from govsite.registry.models import Website\n"
              "def f():\n    from ..content import access\n    import govsite.checks.review\n")
    bad = _domain_imports(CORE / "probe.py", source)
    assert len([b for b in bad if "registry" in b]) >= 1
    assert any("govsite.content" in b for b in bad)
    assert any("govsite.checks.review" in b for b in bad)
