"""Masking of personal data for public display (个人信息脱敏; national rules §9 item 42).

Masks replace characters one for one with "*", so a masked text has the length of the original and the
offsets of every finding stay valid. Only digits and letters of the identifier are masked (for e-mail, the
whole local part after its first character); separators
("+86 ", "-", spaces, parentheses) are kept so the shape stays readable:

    id_card    110105********002X    first 6 and last 4 kept (15-digit form: last 3, so no birth digit shows)
    mobile     138****5678           first 3 and last 4 of the 11 digits; a +86 prefix is kept
    landline   0991-*****67          area code and last 2 kept
    bank_card  6222 **** **** ***0 123  first 4 and last 4 digits kept
    email      z*******@qq.com       first character of the local part kept
    passport   E******78             first and last 2 kept
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from .contract import CheckContext, Finding

MASK = "*"

PERSONAL_KINDS: tuple[str, ...] = ("id_card", "mobile", "landline", "bank_card", "email", "passport")


def _mask_positions(text: str, positions: Iterable[int]) -> str:
    chars = list(text)
    for index in positions:
        chars[index] = MASK
    return "".join(chars)


def _positions(text: str, accept: Callable[[str], bool]) -> list[int]:
    return [i for i, ch in enumerate(text) if accept(ch)]


def _is_ascii_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _is_id_char(ch: str) -> bool:
    return _is_ascii_digit(ch) or ch in "Xx"


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _keep_ends(text: str, accept: Callable[[str], bool], head: int, tail: int) -> str:
    """Mask the accepted characters except the first `head` and last `tail` of them."""
    positions = _positions(text, accept)
    return _mask_positions(text, positions[head : max(head, len(positions) - tail)])


def _mask_id_card(text: str) -> str:
    count = len(_positions(text, _is_id_char))
    return _keep_ends(text, _is_id_char, 6, 3 if count == 15 else 4)


def _mask_mobile(text: str) -> str:
    # The subscriber number is the last 11 digits; anything before is the country code, kept.
    digits = _positions(text, _is_ascii_digit)
    return _mask_positions(text, digits[-8:-4])


def _mask_landline(text: str) -> str:
    digits = _positions(text, _is_ascii_digit)
    number = "".join(text[i] for i in digits)
    area = 3 if number[1:2] in ("1", "2") else 4  # 010 and 02x; all other area codes have 4 digits
    return _mask_positions(text, digits[area:-2])


def _mask_bank_card(text: str) -> str:
    return _keep_ends(text, _is_ascii_digit, 4, 4)


def _mask_email(text: str) -> str:
    at = max(text.rfind("@"), text.rfind("＠"))
    if at <= 0:
        return _keep_ends(text, _is_ascii_alnum, 1, 0)
    return text[0] + MASK * (at - 1) + text[at:]


def _mask_passport(text: str) -> str:
    return _keep_ends(text, _is_ascii_alnum, 1, 2)


_MASKERS: dict[str, Callable[[str], str]] = {
    "id_card": _mask_id_card,
    "mobile": _mask_mobile,
    "landline": _mask_landline,
    "bank_card": _mask_bank_card,
    "email": _mask_email,
    "passport": _mask_passport,
}


def mask(kind: str, text: str) -> str:
    """The masked form of one identifier of `kind` (one of PERSONAL_KINDS); same length as `text`."""
    try:
        masker = _MASKERS[kind]
    except KeyError:
        raise ValueError(f"no masking rule for kind {kind!r}; known: {', '.join(PERSONAL_KINDS)}") from None
    return masker(text)


def _detect_personal_data(text: str) -> list[Finding]:
    # The detectors are loaded by name, like the engine does, without requiring the engine itself.
    context = CheckContext()
    findings: list[Finding] = []
    for kind in PERSONAL_KINDS:
        detector = importlib.import_module(f"govsite.checks.detectors.{kind}").detector
        findings.extend(detector.detect(text, context))
    return findings


def redact_text(text: str, findings: list[Finding] | None = None) -> str:
    """`text` with every personal identifier masked; same length as `text`.

    `findings` are those of a check run on this very text (e.g. from `engine.check_text`); kinds without
    a masking rule (统一社会信用代码, 敏感词 …) are left as they are. Without findings, the personal-data
    detectors run here.
    """
    if findings is None:
        findings = _detect_personal_data(text)
    spans: list[tuple[int, int, str]] = []
    for finding in findings:
        masker = _MASKERS.get(finding.kind)
        if masker is None:
            continue
        if text[finding.start : finding.end] != finding.text:
            raise ValueError(
                f"finding {finding.kind} at {finding.start}:{finding.end} does not match the text"
            )
        spans.append((finding.start, finding.end, masker(finding.text)))
    spans.sort()
    # Rebuild from slices (texts may be 50 MB); overlapping findings, e.g. a mobile number used as an
    # e-mail name, are merged so that a "*" set by either stays.
    pieces: list[str] = []
    cursor = 0
    index = 0
    while index < len(spans):
        group_start, group_end, _ = spans[index]
        group = [spans[index]]
        index += 1
        while index < len(spans) and spans[index][0] < group_end:
            group.append(spans[index])
            group_end = max(group_end, spans[index][1])
            index += 1
        pieces.append(text[cursor:group_start])
        if len(group) == 1:
            pieces.append(group[0][2])
        else:
            segment = list(text[group_start:group_end])
            for start, _end, masked in group:
                for offset, ch in enumerate(masked):
                    if ch == MASK:
                        segment[start - group_start + offset] = MASK
            pieces.append("".join(segment))
        cursor = group_end
    pieces.append(text[cursor:])
    return "".join(pieces)
