"""固定电话 detector: area code (区号) 0xx/0xxx + 7–8 digit local number.

Forms: 0991-1234567, 0991 1234567, 09911234567, (010)12345678, （010）1234-5678, 010—12345678, and with
the country code, where the trunk 0 is dropped: +86 991 1234567, +86-10-12345678, 0086 10 12345678.
Area codes: 010 and 02x have 3 digits, all others (03xx–09xx) 4, so "0 + second digit" decides the length.
Office phones are published on purpose (办公电话 are public), so this is `warn`: a reviewer decides whether
the number is a private one. 400/800 service numbers have no area code and never match.
"""

from __future__ import annotations

import re

from ..contract import CheckContext, Finding, Severity

_AREA = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
# Local numbers never start with 0 (trunk prefix); one optional separator inside the local part (1234-5678).
_LOCAL = r"[1-9][0-9]{2,3}[ -]?[0-9]{4}"
_AREA_INTERNATIONAL = r"(?:10|2[0-9]|[3-9][0-9]{2})"  # the area code without its trunk 0
_LANDLINE_RE = re.compile(
    r"(?=[(（0+])(?<![0-9A-Za-z_+])"  # the lookahead lets the engine skip to possible first characters
    r"(?:[(（] ?" + _AREA + r" ?[)）] ?|" + _AREA + r"(?:[-－—–]| )?|"
    r"[(（]?(?:\+|00)86[)）]?[ -]?(?:[(（]0?[)）] ?)?" + _AREA_INTERNATIONAL + r"[ -]?)"
    r"" + _LOCAL + r"(?![0-9A-Za-z_])"
)

RULE = "固定电话号码（区号+7至8位号码）"


class LandlineDetector:
    """固定电话: usually an office number (public); flagged for the reviewer in case it is private."""

    name = "landline"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        return [
            Finding(
                kind=self.name,
                severity=Severity.WARN,
                start=match.start(),
                end=match.end(),
                text=match.group(0),
                rule=RULE,
                suggestion="确认为单位办公电话；如为个人电话请删除或脱敏",
            )
            for match in _LANDLINE_RE.finditer(text)
        ]


detector = LandlineDetector()
