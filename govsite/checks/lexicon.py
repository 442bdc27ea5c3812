"""The word data the checks use (词库): sensitive words, protected terms, typo pairs.

A `Lexicon` is plain data; detectors compile what they need from it once and cache it on the instance
(`compiled` dict), so building a lexicon per request is cheap and matching stays fast.
Sources: the shipped defaults in `govsite/checks/data/`, the region's lists in the database
(`wordlists.lexicon_for_region`), and extra terms given on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SensitiveWord:
    """敏感词: a term, its category (e.g. 政治, 色情, 赌博, 暴恐) and severity (block or warn)."""

    term: str
    category: str = "未分类"
    severity: str = "block"


@dataclass(frozen=True, slots=True)
class ProtectedTerm:
    """规范表述: a name or formulation that must be written exactly (领导姓名职务, 单位全称, 固定提法)."""

    term: str
    category: str = "规范表述"


@dataclass(frozen=True, slots=True)
class TypoPair:
    """常见错别字: the wrong form and the right form."""

    wrong: str
    right: str


@dataclass
class Lexicon:
    sensitive_words: list[SensitiveWord] = field(default_factory=list)
    protected_terms: list[ProtectedTerm] = field(default_factory=list)
    typo_pairs: list[TypoPair] = field(default_factory=list)
    # Detectors keep compiled automata here, keyed by detector name.
    compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon plus another's entries (later entries win for the same term)."""
        return Lexicon(
            sensitive_words=_dedupe(self.sensitive_words + other.sensitive_words, key=lambda w: w.term),
            protected_terms=_dedupe(self.protected_terms + other.protected_terms, key=lambda t: t.term),
            typo_pairs=_dedupe(self.typo_pairs + other.typo_pairs, key=lambda p: p.wrong),
        )


def _dedupe(items: list, key) -> list:  # noqa: ANN001
    seen: dict[Any, Any] = {}
    for item in items:
        seen[key(item)] = item
    return list(seen.values())
