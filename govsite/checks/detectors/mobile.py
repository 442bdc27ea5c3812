"""手机号码 detector: 11-digit mainland mobile numbers, validated against the national numbering plan.

Accepted forms: 13812345678, 138 1234 5678, 138-1234-5678, optionally preceded by +86, 86, 0086 or (+86);
full-width digits are folded by the engine. Whether a number is a mobile is decided by the numbering-plan
metadata of the maintained `phonenumbers` package (Google libphonenumber), not by a prefix rule of our own:
ranges not allocated to mobiles (140–144, 146, 154, 160, 163 …) are not mobiles.

What the number is also depends on where it stands (see `layout`):
- after 准考证号、考号、职位代码 … it is an exam or position number: not reported;
- followed by a unit (元、万、人、吨 …) it is a quantity: not reported;
- after 联系电话、咨询电话 … on a line that is not about a person, it is a unit's published contact: `warn`;
- otherwise a mobile in public content is a citizen's personal data: `block`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from .. import layout
from ..contract import CheckContext, Finding, Severity

# No digit, ASCII letter or "_" (identifiers, URLs' slugs) right before or after: a mobile number inside a
# longer number (ID, order, bank card) is not a mobile number. "+" is excluded before so that
# "+86…" is matched from the plus sign.
_MOBILE_RE = re.compile(
    r"(?=[+08(（1])(?<![0-9A-Za-z_+])"  # the lookahead lets the engine skip to possible first characters
    r"(?:(?:\+|00)?86[ -]?|[(（]\+?86[)）] ?)?"  # country code, optional
    r"(?P<number>1[3-9][0-9](?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4})"  # 3-4-4 with one consistent separator
    r"(?![0-9A-Za-z_])"
)
# A unit of measure right after the digits makes them a quantity (零售总额13456789012元), not a phone number.
_QUANTITY_AFTER_RE = re.compile(r" ?(?:元|万|亿|千|百|人|户|吨|个|件|次|台|辆|条|笔|项|家|%|‰|平方|立方|公里|千米|米|公斤|斤|kg|km)")
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

RULE = "手机号码（11位，符合国家码号规划的移动号段）"


@lru_cache(maxsize=1 << 14)
def _is_mobile_prefix(prefix: str) -> bool:
    """Whether numbers starting with these 7 digits are mobiles in the numbering plan (号段, HLR level)."""
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(prefix + "0000"))
    return phonenumbers.number_type(number) in _MOBILE_TYPES


def is_mobile_number(digits: str) -> bool:
    """Whether 11 digits are a mainland mobile number per the `phonenumbers` metadata."""
    if len(digits) != 11 or not digits.isdigit() or not digits.isascii():
        return False
    if not _is_mobile_prefix(digits[:7]):
        return False
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(digits))
    return phonenumbers.number_type(number) in _MOBILE_TYPES


class MobileDetector:
    """手机号码: personal data (个人信息)."""

    name = "mobile"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        findings = []
        for match in _MOBILE_RE.finditer(text):
            digits = match.group("number").replace(" ", "").replace("-", "")
            if not is_mobile_number(digits) or _QUANTITY_AFTER_RE.match(text, match.end()):
                continue
            label = layout.label_before(text, match.start())
            if label == "exam":
                continue  # 准考证号、职位代码 …: the same digits, but not a phone number
            severity, rule = Severity.BLOCK, RULE
            if label == "contact" and not layout.line_is_about_a_person(text, match.start(), match.end()):
                severity = Severity.WARN
                rule = layout.CONTACT_RULE.format(why="前有联系电话、咨询电话等标签")
            findings.append(
                Finding(
                    kind=self.name,
                    severity=severity,
                    start=match.start(),
                    end=match.end(),
                    text=match.group(0),
                    rule=rule,
                    suggestion="删除，或脱敏后发布（如 138****5678）；对外联系请使用办公电话",
                )
            )
        return findings


detector = MobileDetector()
