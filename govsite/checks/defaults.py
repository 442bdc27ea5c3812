"""The shipped word lists (默认词库): `govsite/checks/data/{sensitive_words,protected_terms,typos}.txt`.

`default_lexicon()` is the lexicon in force where no region adds its own lists; a region's lexicon is
`default_lexicon().merged(region_lists)`. The readers are public so that other sources of the same file
formats (a word list given on the command line, an import) parse them the same way.

File formats (UTF-8, one entry a line, `#` starts a comment line, blank lines are skipped):
- sensitive_words.txt: `term,category,severity` (category and severity optional: 未分类, block);
- protected_terms.txt: `term` or `term,category` (category optional: 规范表述);
- typos.txt: `wrong,right`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from .contract import Severity
from .lexicon import Lexicon, ProtectedTerm, SensitiveWord, TypoPair

DATA_DIR = Path(__file__).resolve().parent / "data"
SEVERITIES = {Severity.BLOCK, Severity.WARN}


@cache
def default_lexicon() -> Lexicon:
    """默认词库: the shipped sample sensitive words, protected terms and typo pairs (loaded once)."""
    return Lexicon(
        sensitive_words=read_sensitive_words(_lines("sensitive_words.txt")),
        protected_terms=read_protected_terms(_lines("protected_terms.txt")),
        typo_pairs=read_typo_pairs(_lines("typos.txt")),
    )


def read_sensitive_words(lines: Iterable[str]) -> list[SensitiveWord]:
    """敏感词 from `term,category,severity` lines; raises ValueError on an unknown severity."""
    words = []
    for number, fields in _records(lines):
        term = fields[0]
        category = fields[1] if len(fields) > 1 and fields[1] else "未分类"
        severity = fields[2] if len(fields) > 2 and fields[2] else Severity.BLOCK
        if severity not in SEVERITIES:
            raise ValueError(f"line {number}: severity must be block or warn, not {severity!r}")
        words.append(SensitiveWord(term, category, severity))
    return words


def read_protected_terms(lines: Iterable[str]) -> list[ProtectedTerm]:
    """规范表述 from `term` or `term,category` lines."""
    return [
        ProtectedTerm(fields[0], fields[1] if len(fields) > 1 and fields[1] else "规范表述")
        for _, fields in _records(lines)
    ]


def read_typo_pairs(lines: Iterable[str]) -> list[TypoPair]:
    """常见错别字 from `wrong,right` lines; raises ValueError on a line without a right form."""
    pairs = []
    for number, fields in _records(lines):
        if len(fields) < 2 or not fields[1]:
            raise ValueError(f"line {number}: expected `wrong,right`")
        pairs.append(TypoPair(fields[0], fields[1]))
    return pairs


def _lines(name: str) -> list[str]:
    return (DATA_DIR / name).read_text(encoding="utf-8").splitlines()


def _records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, comma-separated fields) of the lines that are not blank or comments."""
    for number, line in enumerate(lines, start=1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.replace("，", ",").split(",")]
        if fields[0]:
            yield number, fields
