"""规范表述 detector: near misses of names and formulations that must be written exactly.

A protected term (单位全称, 固定提法, and the leaders' names supervisors add per region) written with one
character replaced, dropped or added is a `block` finding — a misspelt leader's name or formulation is a
严重表述错误, a veto item of the national spot-check rules — with the exact term as the suggestion. The exact
term passes, and so does text that merely resembles a term.

How (on the folded text: full-width, traditional characters and case; punctuation kept):

- 同音字 / 形近字替换: for every term of three or more characters, each spelling with one character replaced
  by a homophone (same pinyin with tone, read in context: 银行 is yín háng) or a look-alike
  (`data/w_lookalikes.txt`) is a key of an Aho-Corasick automaton. Very common function characters
  (的, 不, 是 …) are not used as replacements.
- other single edits (Levenshtein distance 1), found SymSpell-style: the two halves of each term of four or
  more characters are keys of the same automaton; one edit leaves one half intact, so each hit of a half
  is verified against the windows of the term's length, one less and one more. Accepted are: a character
  added inside the term (not a space, punctuation or 的/地/得: 中华民族的伟大复兴 is good prose), for terms of
  four or more characters; a character dropped inside the term, five or more; any other character in
  place of one inside the term, seven or more. A dropped or added first or last character, or one replaced
  other than by a homophone or look-alike, is not flagged: a term's prefix is often a word of its own
  (中国人民解放 in 中国人民解放战争). Terms of two characters are not checked (too many words look alike).

False positives are kept low by two checks with a dictionary of common two-character words (jieba's):
a near miss is dropped when it cuts a word at its edge (中国人民行使 is not 中国人民银行 without 银), and an
edit that makes a word with a neighbour is no near miss (中国人民进行, 生态文化建设). Near misses that
overlap an exact occurrence of the same term, or lie inside an exact occurrence of another term
(中华人民共和国财政部 vs 中华人民共和国民政部), are dropped; of overlapping near misses the longest stays.
Compiled once per lexicon (`lexicon.compiled["protected_term"]`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..contract import CheckContext, Finding, Severity
from ..defaults import DATA_DIR, default_lexicon
from ..lexicon import Lexicon, ProtectedTerm
from ..normalise import KeywordAutomaton, fold, is_noise, keep_outermost

MIN_VARIANT = 3  # homophone / look-alike replacement
MIN_INSERTION = 4
MIN_DELETION = 5
MIN_SUBSTITUTION = 7  # any other character in place of one

HOMOPHONE = "同音字替换"
LOOKALIKE = "形近字替换"
SUBSTITUTION = "错字"
DELETION = "漏字"
INSERTION = "多字"
# Which label wins when one span is found twice.
_PRIORITY = {HOMOPHONE: 0, LOOKALIKE: 1, SUBSTITUTION: 2, DELETION: 3, INSERTION: 4}

# Characters never used as a replacement, and never counted as an added character (的/地/得).
_FUNCTION_CHARS = frozenset("的地得了着过是不在有和与及或等为这那也就都而其之于以所被把从对向个一上下中")
_NOT_INSERTED = frozenset("的地得")
_COMMON_WORD_MIN_FREQ = 300  # jieba frequency from which a two-character word counts as common
_HAN_RE = re.compile(r"[\u3400-\u9fff]+")

_EXACT, _VARIANT, _LEFT, _RIGHT = range(4)
# Window widths worth verifying, as differences from the term's length (by length, capped): its own length
# when a replaced character counts, one less when a dropped one does, one more for an added one.
_WIDTH_CHANGES = {
    n: tuple(change for change, minimum in ((0, MIN_SUBSTITUTION), (-1, MIN_DELETION), (1, MIN_INSERTION))
             if n >= minimum)
    for n in range(MIN_VARIANT, MIN_SUBSTITUTION + 1)
}


@dataclass(frozen=True, slots=True)
class _Term:
    entry: ProtectedTerm
    key: str  # folded


@dataclass(frozen=True, slots=True)
class _Compiled:
    automaton: KeywordAutomaton
    terms: tuple[_Term, ...]


class ProtectedTermDetector:
    """规范表述检查 (领导姓名、单位全称、固定提法)."""

    name = "protected_term"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        lexicon = context.lexicon or default_lexicon()
        data = compiled(lexicon)
        if data is None or not text:
            return []
        folded = fold(text)
        exact: list[tuple[int, int, int]] = []
        candidates: dict[tuple[int, int, int], str] = {}
        for start, end, entries in data.automaton.iter(folded):
            for code, index, label in entries:
                if code == _EXACT:
                    exact.append((start, end, index))
                    continue
                if code == _VARIANT:
                    found = (start, end, label)
                elif code == _LEFT:
                    found = _verify(folded, data.terms[index].key, start, left=True)
                else:
                    found = _verify(folded, data.terms[index].key, end, left=False)
                if found is not None:
                    span = (found[0], found[1], index)
                    if span not in candidates or _PRIORITY[found[2]] < _PRIORITY[candidates[span]]:
                        candidates[span] = found[2]
        if not candidates:
            return []
        exact.sort()
        exact_starts = [s for s, _, _ in exact]
        longest = max(len(term.key) for term in data.terms)
        findings = []
        for (start, end, index), label in sorted(candidates.items(), key=lambda c: _PRIORITY[c[1]]):
            nearby = exact[bisect_left(exact_starts, start - longest):bisect_left(exact_starts, end)]
            if _covered(start, end, index, nearby) or _cuts_word(folded, start, end):
                continue
            entry = data.terms[index].entry
            findings.append(Finding(
                kind=self.name,
                severity=Severity.BLOCK,
                start=start,
                end=end,
                text=text[start:end],
                rule=f"{entry.category}：{label}",
                suggestion=entry.term,
            ))
        return keep_outermost(findings)


def compiled(lexicon: Lexicon) -> _Compiled | None:
    """The lexicon's protected-term automaton (None when no term is long enough), built once and cached."""
    if "protected_term" not in lexicon.compiled:
        lexicon.compiled["protected_term"] = _build(lexicon.protected_terms)
    return lexicon.compiled["protected_term"]


def _build(entries: list[ProtectedTerm]) -> _Compiled | None:
    terms = []
    seen = set()
    for entry in entries:
        key = fold(entry.term.strip())
        if len(key) >= MIN_VARIANT and key not in seen:
            seen.add(key)
            terms.append(_Term(entry, key))
    if not terms:
        return None
    _common_words()  # loaded now rather than at the first near miss, so that checks take even time
    keys: dict[str, list[tuple[int, int, Any]]] = {}
    for index, term in enumerate(terms):
        key = term.key
        keys.setdefault(key, []).append((_EXACT, index, None))
        for variant, label in _variants(key):
            keys.setdefault(variant, []).append((_VARIANT, index, label))
        if len(key) >= MIN_INSERTION:
            half = len(key) // 2
            keys.setdefault(key[:half], []).append((_LEFT, index, None))
            keys.setdefault(key[half:], []).append((_RIGHT, index, None))
    return _Compiled(KeywordAutomaton(keys.items()), tuple(terms))


def _variants(key: str) -> list[tuple[str, str]]:
    """The term with one character replaced by a homophone or a look-alike, with the kind of replacement."""
    readings = _readings(key)
    lookalikes = _lookalikes()
    by_reading = _chars_by_reading()
    variants = []
    for i, char in enumerate(key):
        if readings[i] is None:
            continue
        homophones = set(by_reading.get(readings[i], ()))
        for other in sorted(homophones | lookalikes.get(char, set())):
            if other == char or other in _FUNCTION_CHARS:
                continue
            variants.append((key[:i] + other + key[i + 1:], HOMOPHONE if other in homophones else LOOKALIKE))
    return variants


def _verify(folded: str, key: str, anchor: int, *, left: bool) -> tuple[int, int, str] | None:
    """The near miss of `key` at a hit of one of its halves, if there is one.

    `anchor` is where the window starts (left half) or ends (right half). Only interior edits count, so
    the window's first and last characters are the term's: that check rejects most hits at once.
    """
    n = len(key)
    for change in _WIDTH_CHANGES[min(n, MIN_SUBSTITUTION)]:
        width = n + change
        start, end = (anchor, anchor + width) if left else (anchor - width, anchor)
        if start < 0 or end > len(folded) or folded[start] != key[0] or folded[end - 1] != key[-1]:
            continue
        label = _edit(folded[start:end], key)
        if label is not None:
            return start, end, label
    return None


def _edit(window: str, key: str) -> str | None:
    """The kind of single edit that turns `key` into `window`, if it is one that counts."""
    n, m = len(key), len(window)
    i = 0
    while i < min(n, m) and window[i] == key[i]:
        i += 1
    if m == n:
        if window[i + 1:] != key[i + 1:] or n < MIN_SUBSTITUTION or not 0 < i < n - 1:
            return None
        if _makes_word(window, i):
            return None
        return SUBSTITUTION
    if m == n - 1:  # key[i] (or another of the same run) is missing
        if window[i:] != key[i + 1:] or n < MIN_DELETION:
            return None
        j = i
        while j + 1 < n and key[j + 1] == key[i]:
            j += 1
        if not any(0 < p < n - 1 for p in range(i, j + 1)):
            return None
        if 0 < i < m and (window[i - 1] + window[i]) in _common_words():
            return None
        return DELETION
    if m == n + 1:  # window[i] was added
        if window[i + 1:] != key[i:] or n < MIN_INSERTION:
            return None
        added = window[i]
        j = i
        while j < n and key[j] == added:
            j += 1
        if not any(0 < p < n for p in range(i, j + 1)):
            return None
        if added in _NOT_INSERTED or is_noise(added):
            return None
        doubled = i > 0 and added == window[i - 1]  # a doubled character is always a slip
        if not doubled and _makes_word(window, i):
            return None
        return INSERTION
    return None


def _makes_word(window: str, i: int) -> bool:
    """True when window[i] forms a common word with its left or right neighbour."""
    words = _common_words()
    return (i > 0 and window[i - 1:i + 1] in words) or (i + 1 < len(window) and window[i:i + 2] in words)


def _cuts_word(folded: str, start: int, end: int) -> bool:
    """True when the span's first or last character forms a common word with the character outside it."""
    words = _common_words()
    return (start > 0 and folded[start - 1:start + 1] in words) or (
        end < len(folded) and folded[end - 1:end + 1] in words)


def _covered(start: int, end: int, index: int, exact: list[tuple[int, int, int]]) -> bool:
    """True when an exact occurrence of the same term overlaps the span, or one of any term contains it."""
    for s, e, other in exact:
        if (other == index and s < end and start < e) or (s <= start and end <= e):
            return True
    return False


def _readings(key: str) -> list[str | None]:
    """Pinyin with tone of each Chinese character of `key`, read in context (None for other characters)."""
    from pypinyin import Style, pinyin

    readings: list[str | None] = [None] * len(key)
    for run in _HAN_RE.finditer(key):
        for offset, options in enumerate(pinyin(run.group(), style=Style.TONE, errors="ignore")):
            if offset < len(run.group()) and options:
                readings[run.start() + offset] = options[0]
    return readings


@cache
def _chars_by_reading() -> dict[str, tuple[str, ...]]:
    """GB 2312 characters by their main reading (pinyin with tone): the candidate homophones."""
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[str, list[str]] = {}
    for point, readings in pinyin_dict.items():
        char = chr(point)
        if point > 0xFFFF or not _in_gb2312(char):
            continue
        table.setdefault(readings.split(",")[0], []).append(char)
    return {reading: tuple(chars) for reading, chars in table.items()}


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _lookalikes() -> dict[str, set[str]]:
    """形近字 groups of `data/w_lookalikes.txt`: character → the others of its groups."""
    table: dict[str, set[str]] = {}
    for line in (DATA_DIR / "w_lookalikes.txt").read_text(encoding="utf-8").splitlines():
        group = line.strip()
        if group and not group.startswith("#"):
            for char in group:
                table.setdefault(char, set()).update(set(group) - {char})
    return table


@cache
def _common_words() -> frozenset[str]:
    """Common two-character words (jieba's dictionary, frequency ≥ _COMMON_WORD_MIN_FREQ)."""
    import jieba

    words = set()
    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split(" ", 2)
            if len(parts) >= 2 and len(parts[0]) == 2 and int(parts[1]) >= _COMMON_WORD_MIN_FREQ:
                words.add(parts[0])
    return frozenset(words)


detector = ProtectedTermDetector()
