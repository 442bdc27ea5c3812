"""Input checks every app shares (输入校验): text a database, an Excel file or an XML writer cannot take.

- Control characters (C0/C1, DEL) in a one-line field break every Excel export (openpyxl refuses them)
  and are invisible to the reader; multi-line text may keep tab and line breaks.
- NUL is refused by PostgreSQL in any text column, and a lone surrogate (``"\\ud800"`` from JSON) cannot be
  encoded as UTF-8 by any database driver: both are refused here, with a Chinese message, before they reach
  the database.
- Unicode noncharacters (U+FFFE, U+FFFF, …) are not allowed in XML, so exports would break on them too.
- Codes (网站标识码, 行政区划代码, ICP/公安备案号 numbers) use ASCII digits: ``\\d`` also matches full-width
  and other scripts' digits, so the patterns spell ``[0-9]``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Characters no stored text may hold: C0 controls except tab/LF/CR, DEL, C1 controls, surrogates and the
# noncharacters XML 1.0 forbids.
_NEVER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# One-line fields also refuse tab and line breaks (and the Unicode line/paragraph separators).
_NEVER_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def bad_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character of ``value`` that stored text may not hold, or None."""
    match = (_NEVER if multiline else _NEVER_ON_ONE_LINE).search(value)
    return match.group() if match else None


def describe_character(char: str) -> str:
    """``U+0007`` plus the character's Unicode name when it has one, for messages."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f"（{name}）" if name else "")


def check_text(value: Any, *, multiline: bool = False) -> str | None:
    """The Chinese message for text that contains a character it may not hold, or None when it is fine."""
    if not isinstance(value, str):
        return None
    char = bad_character(value, multiline=multiline)
    if char is None:
        return None
    if "\ud800" <= char <= "\udfff":
        return _("含有无效的字符编码（%(char)s），请重新输入。") % {"char": describe_character(char)}
    if char in "\t\n\r\u2028\u2029":
        return _("不能包含换行符或制表符。")
    return _("含有不可见的控制字符（%(char)s），请删除后重新输入。") % {"char": describe_character(char)}


def validate_text(value: Any) -> None:
    """Django validator for one-line text (CharField)."""
    message = check_text(value)
    if message:
        raise ValidationError(message, code="control_character")


def validate_multiline_text(value: Any) -> None:
    """Django validator for multi-line text (TextField): tab and line breaks are kept."""
    message = check_text(value, multiline=True)
    if message:
        raise ValidationError(message, code="control_character")


def for_spreadsheet(value: Any) -> Any:
    """A cell value an .xlsx file can hold: text loses the characters XML forbids (openpyxl raises
    IllegalCharacterError on them, which made one bad registry row break the whole export)."""
    if isinstance(value, str):
        return _NEVER.sub("", value)
    return value


def has_unencodable(value: Any) -> bool:
    """Whether a parsed JSON value holds a string no database can store (NUL or a lone surrogate)."""
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(has_unencodable(k) or has_unencodable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_unencodable(item) for item in value)
    return False


# -- telephone numbers (联系电话) -------------------------------------------------------------------------

# Several numbers may be given: 0990-1234567、0990-7654321.
_PHONE_SEPARATORS = re.compile(r"\s*[、,，;；/]\s*")
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x)\s*[0-9]{1,6}$", re.IGNORECASE)
_PHONE_CHARACTERS = re.compile(r"^[0-9+\-() （）]+$")
# 政务服务便民热线 12345 and the like: five digits starting with 1 are dialled as they are.
_SERVICE_NUMBER = re.compile(r"^1[0-9]{4}$")
MAX_PHONE_NUMBERS = 5
MIN_PHONE_DIGITS = 9


def check_phone(value: str) -> str | None:
    """The Chinese message for a 联系电话 that is not one or more telephone numbers, or None.

    Accepted: fixed lines with area code (0990-7654321, (010)12345678), mobiles, 400/800 numbers,
    +86 numbers, an extension (转123, 分机123), five-digit service numbers (12345), several numbers
    separated by 、 or ，. Digits must be ASCII (full-width digits are refused: they cannot be dialled
    from a link and do not match a search).
    """
    value = (value or "").strip()
    if not value:
        return None
    numbers = _PHONE_SEPARATORS.split(value)
    if len(numbers) > MAX_PHONE_NUMBERS:
        return _("联系电话最多填写 %(n)d 个号码。") % {"n": MAX_PHONE_NUMBERS}
    for number in numbers:
        plain = _EXTENSION.sub("", number)
        if _SERVICE_NUMBER.match(plain):
            continue
        if not _PHONE_CHARACTERS.match(plain):
            return _("“%(number)s”不是有效的电话号码：只能填写半角数字、连字符和括号，"
                     "如 0990-7654321、13800138000、12345。") % {"number": number}
        try:
            parsed = phonenumbers.parse(plain.replace("（", "(").replace("）", ")"), "CN")
        except phonenumbers.NumberParseException:
            parsed = None
        # A fixed line is a 2–3 digit area code and a 7–8 digit number, a mobile 11 digits: at least 9 in all
        # (phonenumbers alone takes 0990-1 as "possible").
        if (parsed is None or not phonenumbers.is_possible_number(parsed)
                or len(phonenumbers.national_significant_number(parsed)) < MIN_PHONE_DIGITS):
            return _("“%(number)s”不是有效的电话号码，固定电话请带区号，如 0990-7654321。") % {"number": number}
    return None
