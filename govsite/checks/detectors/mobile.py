"""手机号码 detector: 11-digit mainland mobile numbers (1[3-9]x xxxx xxxx).

Accepted forms: 13812345678, 138 1234 5678, 138-1234-5678, optionally preceded by +86, 86, 0086 or (+86).
A citizen's mobile number in public content is a personal data leak, hence `block`; government office
hotlines are landlines (see the `landline` detector), so they are not affected.
"""

from __future__ import annotations

import re

from ..contract import CheckContext, Finding, Severity

# No digit, ASCII letter or "_" (identifiers, URLs' slugs) right before or after: a mobile number inside a
# longer number (ID, order, bank card) is not a mobile number. "+" is excluded before so that
# "+86…" is matched from the plus sign.
_MOBILE_RE = re.compile(
    r"(?=[+08(（1])(?<![0-9A-Za-z_+])"  # the lookahead lets the engine skip to possible first characters
    r"(?:(?:\+|00)?86[ -]?|[(（]\+?86[)）] ?)?"  # country code, optional
    r"1[3-9][0-9](?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}"  # 3-4-4 with one consistent separator
    r"(?![0-9A-Za-z_])"
)

RULE = "手机号码（11位，1[3-9] 号段）"


class MobileDetector:
    """手机号码: personal data (个人信息)."""

    name = "mobile"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        return [
            Finding(
                kind=self.name,
                severity=Severity.BLOCK,
                start=match.start(),
                end=match.end(),
                text=match.group(0),
                rule=RULE,
                suggestion="删除，或脱敏后发布（如 138****5678）；对外联系请使用办公电话",
            )
            for match in _MOBILE_RE.finditer(text)
        ]


detector = MobileDetector()
