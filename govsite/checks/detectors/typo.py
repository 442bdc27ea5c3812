"""错别字 detector: the lexicon's typo pairs (常见错别字), e.g. 按步就班 → 按部就班.

The wrong forms are matched in one pass of an Aho-Corasick automaton over the folded text (`fold`:
full-width, traditional characters and case, punctuation kept, so no match crosses a sentence boundary),
compiled once per lexicon (`lexicon.compiled["typo"]`). Findings are `warn` with the right form as the
suggestion; of nested matches only the longest is kept. A misspelt protected term (a leader's name, a
unit's full name) is the protected_term detector's `block` finding, not this one's.
"""

from __future__ import annotations

from ..contract import CheckContext, Finding, Severity
from ..defaults import default_lexicon
from ..lexicon import Lexicon, TypoPair
from ..normalise import KeywordAutomaton, fold, keep_outermost

RULE = "常见错别字"


class TypoDetector:
    """错别字检查."""

    name = "typo"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        lexicon = context.lexicon or default_lexicon()
        automaton = compiled(lexicon)
        if automaton is None or not text:
            return []
        findings = []
        for start, end, pair in automaton.iter(fold(text)):
            findings.append(Finding(
                kind=self.name,
                severity=Severity.WARN,
                start=start,
                end=end,
                text=text[start:end],
                rule=RULE,
                suggestion=pair.right,
            ))
        return keep_outermost(findings)


def compiled(lexicon: Lexicon) -> KeywordAutomaton | None:
    """The lexicon's automaton of wrong forms (None when it has no pairs), built once and cached."""
    if "typo" not in lexicon.compiled:
        lexicon.compiled["typo"] = _build(lexicon.typo_pairs)
    return lexicon.compiled["typo"]


def _build(pairs: list[TypoPair]) -> KeywordAutomaton | None:
    automaton = KeywordAutomaton(
        (fold(pair.wrong.strip()), pair) for pair in pairs if fold(pair.wrong.strip()) != fold(pair.right.strip()))
    return automaton if len(automaton) else None


detector = TypoDetector()
