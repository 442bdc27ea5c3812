"""The one contract every content check follows: text in, findings out.

A detector is a module in `govsite/checks/detectors/` exposing a `Detector` instance named `detector`.
Offsets count Unicode characters of the text the detector was given (Python `str` indices).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol


class Severity:
    """Finding severity: `block` stops publication, `warn` is shown to the reviewer."""

    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a text (合规检查发现)."""

    kind: str  # detector name, e.g. "id_card", "sensitive_word"
    severity: str  # Severity.BLOCK or Severity.WARN
    start: int  # offset of the first character, in Unicode characters of the checked text
    end: int  # offset after the last character
    text: str  # the matched text, text[start:end] of the checked text
    rule: str  # which rule matched, human-readable (Chinese), e.g. "居民身份证号（GB 11643 校验通过）"
    suggestion: str = ""  # the right form, where one exists (typos, protected terms)
    location: dict[str, Any] = field(default_factory=dict)  # for files: page, sheet, cell, paragraph …

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckContext:
    """What a detector may need beyond the text: the lexicon in force (word lists, terms, typo pairs)."""

    lexicon: Any = None  # govsite.checks.lexicon.Lexicon, or None for the shipped defaults


class Detector(Protocol):
    name: str

    def detect(self, text: str, context: CheckContext) -> list[Finding]: ...
