"""The compliance engine (内容合规检查): runs every detector over a text and returns sorted findings."""

from __future__ import annotations

import importlib
from functools import cache

from .contract import CheckContext, Detector, Finding
from .normalise import checking

# One module per check under govsite/checks/detectors/; adding a check is adding a module and a name here.
DETECTOR_MODULES: tuple[str, ...] = (
    "id_card",
    "mobile",
    "landline",
    "bank_card",
    "email",
    "passport",
    "uscc",
    "secret_marking",
    "sensitive_word",
    "protected_term",
    "typo",
)


@cache
def all_detectors() -> tuple[Detector, ...]:
    return tuple(importlib.import_module(f"govsite.checks.detectors.{name}").detector for name in DETECTOR_MODULES)


def check_text(text: str, *, context: CheckContext | None = None, only: set[str] | None = None) -> list[Finding]:
    """All findings in `text`, ordered by position. `only` limits the run to some detector names."""
    context = context or CheckContext()
    findings: list[Finding] = []
    with checking(text):
        for detector in all_detectors():
            if only is None or detector.name in only:
                findings.extend(detector.detect(text, context))
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return findings
