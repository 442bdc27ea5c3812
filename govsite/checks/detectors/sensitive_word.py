"""敏感词 detector: the lexicon's sensitive words, matched after normalisation.

Terms and text are normalised alike (`normalise`: full-width, traditional characters, case, and noise
characters removed), so 网 络 赌 博、網絡賭博、网.络赌博 and zero-width characters between the characters
are all found. All terms are matched in one pass of an Aho-Corasick automaton, compiled once per lexicon
(`lexicon.compiled["sensitive_word"]`). A finding covers the original text from the first to the last
character of the term, noise included; of nested matches only the longest is kept.

Since noise is removed, a term can match across punctuation ("……民主。法治……" reads "民主法治"); see
`govsite.checks.normalise`. Terms made only of ASCII letters and digits must stand alone: "sex" is not
found inside "Essex".
"""

from __future__ import annotations

from ..contract import CheckContext, Finding
from ..defaults import default_lexicon
from ..lexicon import Lexicon, SensitiveWord
from ..normalise import KeywordAutomaton, fold, keep_outermost, normalise, normalise_term


class SensitiveWordDetector:
    """敏感词检查."""

    name = "sensitive_word"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        lexicon = context.lexicon or default_lexicon()
        automaton = compiled(lexicon)
        if automaton is None or not text:
            return []
        normalised, offsets = normalise(text)
        folded = None
        findings = []
        for first, last, (word, ascii_only) in automaton.iter(normalised):
            start, end = offsets.span(first, last)
            if ascii_only:
                folded = folded if folded is not None else fold(text)
                if _ascii_alnum(folded, start - 1) or _ascii_alnum(folded, end):
                    continue
            findings.append(Finding(
                kind=self.name,
                severity=word.severity,
                start=start,
                end=end,
                text=text[start:end],
                rule=f"敏感词（类别：{word.category}）",
                suggestion="删除或改写",
            ))
        return keep_outermost(findings)


def compiled(lexicon: Lexicon) -> KeywordAutomaton | None:
    """The lexicon's sensitive-word automaton (None when it has no words), built once and cached."""
    if "sensitive_word" not in lexicon.compiled:
        lexicon.compiled["sensitive_word"] = _build(lexicon.sensitive_words)
    return lexicon.compiled["sensitive_word"]


def _build(words: list[SensitiveWord]) -> KeywordAutomaton | None:
    # A later entry with the same normalised form wins, as in `Lexicon.merged`.
    keys = ((normalise_term(word.term), word) for word in words)
    automaton = KeywordAutomaton((key, (word, key.isascii())) for key, word in keys)
    return automaton if len(automaton) else None


def _ascii_alnum(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()


detector = SensitiveWordDetector()
