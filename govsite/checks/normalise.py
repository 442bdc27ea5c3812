"""Text normalisation for word matching (文本归一化), with offsets back to the original text, and the
multi-pattern matcher the word detectors share (`KeywordAutomaton`).

Two levels:

- `fold(text)` (字形归一): full-width → half-width letters and digits (NFKC), traditional → simplified
  Chinese (繁简转换), lower case. Every character maps to exactly one character, so the folded text has
  the same length as the original and offsets need no map. Punctuation and spaces are kept.
  Used by the protected-term and typo detectors.
- `normalise(text)` (归一化并去除干扰字符): the folded text with every character that is not a letter or
  a number removed — whitespace, punctuation, symbols, zero-width characters (U+200B–U+200F, U+2060,
  U+FEFF), the soft hyphen, combining marks. Evasions such as 法 轮、法.轮、法<U+200B>轮 (zero-width space) or
  ＦＡ轮 all become one word. Returns the normalised text and an `OffsetMap` back to the original.
  Used by the sensitive-word detector.

Removing punctuation joins words across sentence boundaries: "……民主。法治……" normalises to "民主法治",
so a term that spans two sentences can match. For sensitive words that trade-off is intended — catching
evasions matters more than the rare match across a full stop — and the finding shows the original text
with its punctuation, so a reviewer sees it at once. Detectors that must respect punctuation use `fold`.

The traditional → simplified table is built once, character by character, from OpenCC `t2s`; only
one-to-one mappings are kept (whole-text OpenCC conversion may change lengths, so its offsets are useless
here), and characters of GB 2312 (the simplified character set: 乾, 後, 於 …) are left as they are, because
they are correct simplified text in some words. Conversion of phrases (e.g. 乾隆) is therefore not done.

`KeywordAutomaton` wraps pyahocorasick. That library looks up a node's children one by one, so with
thousands of distinct Chinese characters at the root it slows to a few million characters a second; keys
and text are therefore matched as hexadecimal UTF-16 (four symbols a code unit, at most 16 children a
node), which is three to four times faster for large word lists, and the text is matched in chunks so that
memory stays bounded.

Both functions remember the last large text they were given (by identity), so the detectors of one engine
run share one normalisation of it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

import ahocorasick

if TYPE_CHECKING:
    from .contract import Finding

# Kept runs are letters and numbers (Python's \w less "_"); everything else is noise.
_NOISE_RE = re.compile(r"[\W_]+")
_NOISE_SPLIT_RE = re.compile(r"([\W_]+)")

# CJK blocks whose characters are converted traditional → simplified (BMP: Extension A, URO, compatibility).
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
# Ranges beyond the BMP whose NFKC form is a letter or digit (𝐀 → a, 🄰 → a) or a CJK character.
_ASTRAL_RANGES = ((0x1D400, 0x1D800), (0x1F100, 0x1F200), (0x2F800, 0x2FA20))

# Only texts at least this long are remembered: short ones (terms, titles) are cheap to redo and must not
# push a large text out of the one-entry memory.
_REMEMBER = 4096
# The text `check_text` is checking: remembered whatever its length, since every detector folds it.
_current: str | None = None


@contextmanager
def checking(text: str) -> Iterator[None]:
    """While the detectors run over `text`, fold and normalise it once, not once per detector."""
    global _current
    previous, _current = _current, text
    try:
        yield
    finally:
        _current = previous

# Normalised text is mapped back in blocks of this many original characters; a block's map is built
# only when a match falls in it.
_BLOCK = 1 << 13


@cache
def _t2s_table() -> dict[str, str]:
    """Single-character traditional → simplified conversions of OpenCC t2s (one-to-one only)."""
    import opencc

    points = [cp for low, high in _CJK_RANGES for cp in range(low, high)]
    converted = opencc.OpenCC("t2s").convert("\n".join(map(chr, points))).split("\n")
    if len(converted) != len(points):  # OpenCC joined or split a line: fall back to one call per character
        converter = opencc.OpenCC("t2s")
        converted = [converter.convert(chr(cp)) for cp in points]
    table = {}
    for cp, simple in zip(points, converted, strict=True):
        char = chr(cp)
        if simple != char and len(simple) == 1 and not _in_gb2312(char):
            table[char] = simple
    return table


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _fold_table() -> tuple[dict[int, str], re.Pattern[str], re.Pattern[str]]:
    """The fold table (code point → character) and patterns matching runs of characters it changes.

    Two patterns, for the BMP and beyond: a character class within the BMP compiles to a bitmap, one with
    characters beyond it to a list of ranges tried one by one, seven times slower over Chinese text.
    """
    t2s = _t2s_table()
    points = [cp for cp in range(0x10000) if not 0xD800 <= cp < 0xE000]
    points += [cp for low, high in _ASTRAL_RANGES for cp in range(low, high)]
    table: dict[int, str] = {}
    for cp in points:
        char = chr(cp)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) != 1:
            folded = char
        folded = t2s.get(folded, folded)
        lower = folded.lower()
        if len(lower) == 1:
            folded = lower
        # Only letters and numbers matter for matching: punctuation keeps its own form (，stays ，).
        if folded != char and (folded.isalnum() or char.isalnum()):
            table[cp] = folded
    changed = sorted(table)
    bmp = "".join(chr(cp) for cp in changed if cp <= 0xFFFF)
    astral = "".join(chr(cp) for cp in changed if cp > 0xFFFF)
    return table, re.compile("[" + _char_class(bmp) + "]+"), re.compile("[" + _char_class(astral) + "]+")


def _char_class(chars: str) -> str:
    """A regex character class body for `chars` (sorted), written as ranges."""
    parts: list[str] = []
    points = [ord(c) for c in chars]
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        low, high = re.escape(chr(points[i])), re.escape(chr(points[j]))
        parts.append(low if i == j else f"{low}-{high}")
        i = j + 1
    return "".join(parts)


_last_fold: tuple[str, str] = ("", "")


def fold(text: str) -> str:
    """字形归一: full-width → half-width, traditional → simplified, lower case; same length as `text`."""
    global _last_fold
    last_text, last_folded = _last_fold
    if text is last_text:
        return last_folded
    table, bmp, astral = _fold_table()
    folded = bmp.sub(lambda m: m.group().translate(table), text)
    if _ASTRAL_RE.search(folded):
        folded = astral.sub(lambda m: m.group().translate(table), folded)
    if len(text) >= _REMEMBER or text is _current:
        _last_fold = (text, folded)
    return folded


class OffsetMap:
    """偏移映射: `offsets[i]` is the index in the original text of character `i` of the normalised text."""

    def __init__(self, folded: str, block_origins: list[int], block_starts: list[int], length: int) -> None:
        self._folded = folded
        self._block_origins = block_origins  # original index where each block starts
        self._block_starts = block_starts  # normalised index where each block starts
        self._length = length
        self._runs: dict[int, tuple[list[int], list[int]]] = {}

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < self._length:
            raise IndexError(index)
        block = bisect_right(self._block_starts, index) - 1
        norm_starts, orig_starts = self._block_runs(block)
        local = index - self._block_starts[block]
        run = bisect_right(norm_starts, local) - 1
        return self._block_origins[block] + orig_starts[run] + local - norm_starts[run]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of normalised characters `start` … `end - 1` (noise inside it included)."""
        return self[start], self[end - 1] + 1

    def _block_runs(self, block: int) -> tuple[list[int], list[int]]:
        """Where each run of kept characters of a block starts, in normalised and in original offsets."""
        runs = self._runs.get(block)
        if runs is None:
            origin = self._block_origins[block]
            parts = _NOISE_SPLIT_RE.split(self._folded[origin:origin + _BLOCK])  # kept, noise, kept, …, kept
            lengths = list(map(len, parts))
            orig_starts = list(accumulate(lengths, initial=0))[0:len(parts):2]
            norm_starts = list(accumulate(lengths[0::2], initial=0))[:-1]
            runs = self._runs[block] = (norm_starts, orig_starts)
        return runs


_last_normalise: tuple[str, str, OffsetMap | None] = ("", "", None)


def normalise(text: str) -> tuple[str, OffsetMap]:
    """归一化: `fold(text)` without noise characters, and the map of its offsets back to `text`."""
    global _last_normalise
    last_text, last_normalised, last_map = _last_normalise
    if text is last_text and last_map is not None:
        return last_normalised, last_map
    folded = fold(text)
    pieces: list[str] = []
    origins: list[int] = []
    starts: list[int] = []
    length = 0
    for origin in range(0, len(folded), _BLOCK):
        piece = _NOISE_RE.sub("", folded[origin:origin + _BLOCK])
        origins.append(origin)
        starts.append(length)
        pieces.append(piece)
        length += len(piece)
    normalised = "".join(pieces)
    offsets = OffsetMap(folded, origins, starts, length)
    if len(text) >= _REMEMBER or text is _current:
        _last_normalise = (text, normalised, offsets)
    return normalised, offsets


def normalise_term(term: str) -> str:
    """A word-list term in the form `normalise` gives the text (no map needed)."""
    return _NOISE_RE.sub("", fold(term))


def is_noise(char: str) -> bool:
    """True for characters `normalise` removes (whitespace, punctuation, symbols, zero-width …)."""
    return _NOISE_RE.fullmatch(char) is not None


def keep_outermost(findings: list[Finding]) -> list[Finding]:
    """The findings not inside another one's span (最长匹配): of 六合 and 六合彩 at one place, 六合彩."""
    kept: list[Finding] = []
    reach = -1
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.end > reach:
            kept.append(finding)
            reach = finding.end
    return kept


class KeywordAutomaton:
    """多模式匹配: every occurrence of many keys in one pass (Aho-Corasick), in Python string offsets."""

    _CHUNK = 1 << 20  # characters of text matched at a time

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        """`items` are (key, value) pairs; a key given twice keeps its last value. Empty keys are skipped."""
        self._automaton = ahocorasick.Automaton()
        self._longest = 0
        for key, value in items:
            if key:
                units = len(key.encode("utf-16-be")) // 2
                self._automaton.add_word(key.encode("utf-16-be").hex(), (units, value))
                self._longest = max(self._longest, units)
        if len(self._automaton):
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._automaton)

    def iter(self, text: str) -> Iterator[tuple[int, int, Any]]:
        """(start, end, value) of every occurrence of a key in `text`, by end position."""
        if not len(self._automaton):
            return
        overlap = self._longest - 1
        for chunk_start in range(0, len(text), self._CHUNK):
            begin = max(0, chunk_start - overlap)  # so that keys across the chunk boundary are found
            chunk = text[begin:chunk_start + self._CHUNK]
            encoded = chunk.encode("utf-16-be", "surrogatepass")
            astral = _astral_units(chunk) if len(encoded) != 2 * len(chunk) else None
            for last, (units, value) in self._automaton.iter(encoded.hex()):
                if last & 3 != 3:
                    continue  # not aligned to whole code units
                end_unit = (last + 1) >> 2
                start_unit = end_unit - units
                if astral is None:
                    start, end = start_unit, end_unit
                else:
                    if _inside_pair(astral, start_unit) or _inside_pair(astral, end_unit):
                        continue
                    start = start_unit - bisect_left(astral, start_unit)
                    end = end_unit - bisect_left(astral, end_unit)
                if begin + end > chunk_start:  # matches ending in the overlap were found with the last chunk
                    yield begin + start, begin + end, value


def _astral_units(chunk: str) -> list[int]:
    """UTF-16 code-unit offsets of the characters beyond the BMP (two code units each) in `chunk`."""
    positions = [m.start() for m in _ASTRAL_RE.finditer(chunk)]
    return [position + count for count, position in enumerate(positions)]


def _inside_pair(astral: list[int], unit: int) -> bool:
    index = bisect_left(astral, unit - 1)
    return index < len(astral) and astral[index] == unit - 1


_ASTRAL_RE = re.compile("[\U00010000-\U0010FFFF]")
