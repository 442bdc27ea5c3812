"""统一社会信用代码 detector (GB 32100-2015): 18 characters with a MOD 31 check character.

Structure: 登记管理部门码 (1 char: 1–9, A, N, Y) + 机构类别码 (1 digit) + 6-digit 行政区划代码 of the registering
authority + 9-character 主体标识码 (组织机构代码) + check character, over the alphabet
0-9 A-H J-N P Q R T U W X Y (no I, O, S, V, Z).
Codes printed in groups ("91110105 MA01ABCD X", "9111 0105 MA01 ABCD X") are found as well: single spaces
between characters are allowed and the code is validated without them.
A legal person's code is public information, so this is only `warn`: the reviewer sees where codes appear
(useful for 索引号 and 信用信息公示) and nothing is blocked. A wrong check character is not reported.
"""

from __future__ import annotations

import re

from ..contract import CheckContext, Finding, Severity
from .id_card import is_id_number, is_known_division_code

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {ch: i for i, ch in enumerate(_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_NATIONAL_AUTHORITY = "100000"  # central registration authorities use 100000 in place of a division code

_USCC_RE = re.compile(
    # The lookahead lets the regex engine skip to possible first characters instead of trying every position.
    r"(?=[1-9ANY])(?<![0-9A-Za-z_])[1-9ANY][1-9][0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}[0-9A-HJ-NPQRTUWXY](?![0-9A-Za-z_])"
)

# The same, with single spaces allowed between characters (at most 6), for codes printed in groups.
_SPACED_RE = re.compile(
    r"(?=[1-9ANY])(?<![0-9A-Za-z_])[1-9ANY](?: ?[0-9A-HJ-NPQRTUWXY]){17}(?![0-9A-Za-z_])"
)
MAX_SPACES = 6

RULE = "统一社会信用代码（GB 32100 校验位正确；法人公开信息，仅供核对）"


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for the first 17 characters."""
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def is_uscc(value: str) -> bool:
    """Whether `value` is a well-formed 统一社会信用代码 with a correct check character."""
    if not _USCC_RE.fullmatch(value):
        return False
    division = value[2:8]
    if division != _NATIONAL_AUTHORITY and not is_known_division_code(division):
        return False
    return uscc_check_char(value[:17]) == value[17]


class UsccDetector:
    """统一社会信用代码: public identifier of a legal person, reported for information."""

    name = "uscc"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        pattern = _SPACED_RE if " " in text else _USCC_RE
        findings = []
        for match in pattern.finditer(text):
            value = match.group(0)
            compact = value.replace(" ", "")
            if len(value) - len(compact) > MAX_SPACES:
                continue
            # An 18-digit value that is also a valid ID number is left to the id_card detector (block).
            if is_uscc(compact) and not is_id_number(compact):
                findings.append(
                    Finding(kind=self.name, severity=Severity.WARN, start=match.start(), end=match.end(),
                            text=value, rule=RULE)
                )
        return findings


detector = UsccDetector()
