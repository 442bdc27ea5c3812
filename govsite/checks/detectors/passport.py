"""护照号码 / 往来港澳通行证号码 detector.

- Strict form, reported anywhere: ordinary passports 护照 E + 8 digits (since 2012) and G + 8 digits
  (older), as a whole token (no digit, ASCII letter or "_" right before or after).
- Looser forms, reported only with a context word (护照, 证件号, 通行证, 回乡证, 旅行证, passport) within about
  15 characters before: E + letter (not I/O) + 7 digits (e-passports since 2017), 往来港澳通行证 C + 8 digits or
  C + letter + 7 digits, 回乡证 H/M + 8 or 10 digits, 公务/外交护照 S/P/D (+ E) + 7–8 digits. Without context
  these look like product codes and serial numbers.
"""

from __future__ import annotations

import re

from ..contract import CheckContext, Finding, Severity

_LETTER = "[A-HJ-NP-Z]"
_STRICT = r"[EG][0-9]{8}"
_LOOSE = (
    r"E" + _LETTER + r"[0-9]{7}"
    r"|C[0-9]{8}|C" + _LETTER + r"[0-9]{7}"
    r"|[HM][0-9]{8}(?:[0-9]{2})?"
    r"|[SPD]E?[0-9]{7,8}"
)
_PASSPORT_RE = re.compile(
    # The lookahead lets the regex engine skip to possible first letters instead of trying every position.
    r"(?=[EGCHMSPD])(?<![0-9A-Za-z_])(?:(?P<strict>"
    + _STRICT
    + r")|(?P<loose>"
    + _LOOSE
    + r"))(?![0-9A-Za-z_])"
)
_CONTEXT_RE = re.compile(r"护照|证件号|证件编号|通行证|回乡证|旅行证|passport", re.IGNORECASE)
_CONTEXT_WINDOW = 15

RULE_STRICT = "护照号码（E/G+8位数字）"
RULE_CONTEXT = "护照或港澳通行证号码（前有“护照/通行证/证件号”等字样）"


class PassportDetector:
    """护照号码: personal identity document number (个人身份证件信息)."""

    name = "passport"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for match in _PASSPORT_RE.finditer(text):
            if match.group("strict"):
                rule = RULE_STRICT
            elif _CONTEXT_RE.search(text, max(0, match.start() - _CONTEXT_WINDOW), match.start()):
                rule = RULE_CONTEXT
            else:
                continue
            findings.append(
                Finding(
                    kind=self.name,
                    severity=Severity.BLOCK,
                    start=match.start(),
                    end=match.end(),
                    text=match.group(0),
                    rule=rule,
                    suggestion="删除，或脱敏后发布（如 E******78）",
                )
            )
        return findings


detector = PassportDetector()
