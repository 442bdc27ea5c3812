"""The compliance engine (内容合规检查): runs every detector over a text and returns sorted findings.

Number detectors (ID, phone, card, passport, USCC) see the text with full-width digits and letters folded
to ASCII (１１０１… is the same ID number as 1101…); the fold keeps every offset, and findings carry the
text as written. The layout rules (`layout.judge_text`) then weigh mobiles and ID numbers by the table
column they stand in.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import replace
from functools import cache

from . import layout
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
# Detectors of numbers and codes: they read the text with full-width digits and letters made ASCII.
NUMBER_DETECTORS = frozenset({"id_card", "mobile", "landline", "bank_card", "passport", "uscc"})

# Full-width digits, letters, ＋ and －, and the ideographic space: one ASCII character each (same offsets).
_HALF_WIDTH = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_HALF_WIDTH.update({0xFF0B: ord("+"), 0xFF0D: ord("-"), 0x3000: ord(" ")})
_FULL_WIDTH_RE = re.compile("[０-９Ａ-Ｚａ-ｚ]")


@cache
def all_detectors() -> tuple[Detector, ...]:
    return tuple(importlib.import_module(f"govsite.checks.detectors.{name}").detector for name in DETECTOR_MODULES)


def half_width(text: str) -> str:
    """`text` with full-width digits, letters, ＋, － and the ideographic space made ASCII (same length)."""
    return text.translate(_HALF_WIDTH) if _FULL_WIDTH_RE.search(text) else text


def check_text(text: str, *, context: CheckContext | None = None, only: set[str] | None = None) -> list[Finding]:
    """All findings in `text`, ordered by position. `only` limits the run to some detector names."""
    context = context or CheckContext()
    findings: list[Finding] = []
    numbers = half_width(text)
    with checking(text):
        for detector in all_detectors():
            if only is None or detector.name in only:
                if detector.name in NUMBER_DETECTORS and numbers is not text:
                    findings.extend(replace(f, text=text[f.start:f.end]) for f in detector.detect(numbers, context))
                else:
                    findings.extend(detector.detect(text, context))
    findings = layout.judge_text(numbers, findings)
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return findings
