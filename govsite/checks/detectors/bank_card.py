"""银行卡号 detector: 16–19 digit payment card numbers.

A candidate is 16–19 digits, contiguous or in groups of 4 separated by one space or hyphen
("6222 0212 3456 7890 123"). Long numbers are everywhere (order numbers, 文号, accounts of units), so a
candidate is reported only when it passes the Luhn check (ISO/IEC 7812) AND either
- starts with a known issuer prefix (BIN) of cards Chinese banks issue, or
- has a card word (银行卡, 卡号, 账号 …) within about 10 characters before it.
Luhn alone would let one random number in ten through. Valid 居民身份证号 and 统一社会信用代码 are left to
their own detectors so the same number is not reported twice.
"""

from __future__ import annotations

import re

from ..contract import CheckContext, Finding, Severity
from .id_card import is_id_number
from .uscc import is_uscc

# Issuer prefixes with the card lengths they use. Chinese banks issue almost all debit cards and most
# credit cards under UnionPay (62, 16–19 digits); dual-brand credit cards under Visa (4), Mastercard
# (51–55) and JCB (3528–3589), 16 digits; some older cards keep pre-UnionPay prefixes (60 e.g. 中国银行长城卡
# 6013, 工行 9558, 农行 9559), 16–19 digits. Left out on purpose: Mastercard's 2221–2720 range (rarely issued
# by Chinese banks, and it would catch numbers starting with 22–27 such as codes and dates) and American
# Express (34/37, 15 digits, outside 16–19; its 15-digit form would collide with old 山东 (37) ID numbers).
# Cards outside this table are still found when a card word precedes them.
_BIN_TABLE: tuple[tuple[str, str, range], ...] = (
    ("62", "银联", range(16, 20)),
    ("60", "银联（早期）", range(16, 20)),
    ("9558", "工商银行（早期）", range(16, 20)),
    ("9559", "农业银行（早期）", range(16, 20)),
    ("4", "Visa", range(16, 17)),
    ("5[1-5]", "Mastercard", range(16, 17)),
    ("35(?:2[89]|[3-8][0-9])", "JCB", range(16, 17)),
)
_BIN_RES = tuple((re.compile(prefix), issuer, lengths) for prefix, issuer, lengths in _BIN_TABLE)

_CARD_RE = re.compile(
    r"(?=[0-9])(?<![0-9A-Za-z_])"  # the lookahead lets the engine skip to digits
    r"(?:[0-9]{16,19}|[0-9]{4}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}(?:(?P=sep)[0-9]{1,3})?)"
    r"(?![0-9A-Za-z_])"
)
_CONTEXT_RE = re.compile(r"银行卡|卡号|账号|帐号|账户|帐户|开户行|储蓄卡|信用卡|借记卡|社保卡")
_CONTEXT_WINDOW = 10


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check used by all payment card numbers."""
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = ord(ch) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def issuer_of(digits: str) -> str | None:
    """The issuer name when `digits` starts with a known BIN and has a length that issuer uses."""
    for prefix_re, issuer, lengths in _BIN_RES:
        if len(digits) in lengths and prefix_re.match(digits):
            return issuer
    return None


class BankCardDetector:
    """银行卡号: personal financial data (个人金融信息)."""

    name = "bank_card"

    def detect(self, text: str, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for match in _CARD_RE.finditer(text):
            raw = match.group(0)
            digits = raw.replace(" ", "").replace("-", "")
            if not luhn_ok(digits) or is_id_number(digits) or is_uscc(digits):
                continue
            issuer = issuer_of(digits)
            if issuer:
                rule = f"银行卡号（{issuer}卡号段，Luhn 校验通过）"
            elif _CONTEXT_RE.search(text, max(0, match.start() - _CONTEXT_WINDOW), match.start()):
                rule = "银行卡号（前有“卡号/账号”等字样，Luhn 校验通过）"
            else:
                continue
            findings.append(
                Finding(
                    kind=self.name,
                    severity=Severity.BLOCK,
                    start=match.start(),
                    end=match.end(),
                    text=raw,
                    rule=rule,
                    suggestion="删除，或脱敏后发布（保留前4位和后4位）",
                )
            )
        return findings


detector = BankCardDetector()
