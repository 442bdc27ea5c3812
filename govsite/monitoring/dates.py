"""Publication dates (发布日期) read from Chinese web pages, for the freshness checks.

Recognised forms (full-width digits and punctuation are read as ASCII; spaces inside are allowed):

    2026-11-20   2026/11/20   2026.11.20   2026年11月20日   2026-11-20 09:30 (the time is ignored)
    [11-20]  (11/20)  （11.20）  11-20  11月20日        month-day only: the year is inferred from `as_of`

A month-day later in the year than `as_of` belongs to the previous year: on 2027-01-05, [12-28] is
2026-12-28 (list pages drop the year, and a list never shows items from the future).

Not read as dates, on purpose: impossible dates (2026-02-30); 文号 such as 〔2026〕12号; years alone (2026年);
8-digit runs such as 20261120 (too often a number, an ID or part of a phone number); bare month-days other than
zero-padded `MM-DD`/`MM/DD` (1-2 is a range, 3.5 a decimal).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .html import content_root, iter_list_items, list_items, parse, text_of

_TRANSLATE = str.maketrans("０１２３４５６７８９－／．：（）［］【】〔〕", "0123456789-/.:()[][][]")

_FULL_RE = re.compile(
    r"(?<![\d.\-/])((?:19|20)\d{2})\s*"
    r"(?:(?P<sep>[-/.])\s*(\d{1,2})\s*(?P=sep)\s*(\d{1,2})"
    r"|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)"
    r"(?!\d)"
)
_MONTH_DAY_RES = (
    re.compile(r"[\[(]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[\])]"),
    re.compile(r"(?<![\d\-/.:])(\d{2})[-/](\d{2})(?![\d\-/.:])"),
    re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, as_of: date) -> date | None:
    year = as_of.year - 1 if (month, day) > (as_of.month, as_of.day) else as_of.year
    return _valid(year, month, day)


def dates_in(text: str, as_of: date | None = None) -> list[date]:
    """Every date written in `text`, in reading order. Month-day forms need `as_of` to get a year."""
    text = text.translate(_TRANSLATE)
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for match in _FULL_RE.finditer(text):
        year = int(match.group(1))
        month, day = (
            (match.group(3), match.group(4)) if match.group("sep") else (match.group(5), match.group(6))
        )
        taken.append(match.span())
        value = _valid(year, int(month), int(day))
        if value:
            found.append((match.start(), value))
    if as_of is not None:
        for pattern in _MONTH_DAY_RES:
            for match in pattern.finditer(text):
                start, end = match.span()
                # A month-day inside a full date (or an already read month-day) is not a second date.
                if any(s < end and start < e for s, e in taken):
                    continue
                taken.append((start, end))
                value = _infer_year(int(match.group(1)), int(match.group(2)), as_of)
                if value:
                    found.append((start, value))
    found.sort(key=lambda pair: pair[0])
    return [value for _, value in found]


def latest_date(text: str, as_of: date) -> date | None:
    """The newest date in `text` on or before `as_of`.

    Later dates are ignored: on a list page they are typos, announced events (会议将于…召开) or forged dates,
    never evidence that the page was updated.
    """
    if len(text) <= _MEMO_CHARS:
        return _latest_date_memo(text, as_of)
    return _latest_date(text, as_of)


# A list row's text is short and repeats across a site's listings (the same date after many titles): short
# texts are memoised; long ones (a whole article) are rarely read twice and would fill the memo.
_MEMO_CHARS = 256


def _latest_date(text: str, as_of: date) -> date | None:
    past = [value for value in dates_in(text, as_of) if value <= as_of]
    return max(past, default=None)


_latest_date_memo = lru_cache(maxsize=32768)(_latest_date)


def item_dates(html: str, as_of: date) -> list[date]:
    """The date of each dated list item (列表条目) of a page's content, in page order.

    Items are `li`, `tr`, `dd` (and link rows written with `div`) outside navigation, header and footer, so
    "今天是2026年11月20日" in a header does not make a page look fresh. An item's date is its newest date on or
    before `as_of`; items without one are left out (items without a date count as not updated).
    """
    root = parse(html)
    if root is None:
        return []
    dates: list[date] = []
    for item in list_items(content_root(root)):
        value = latest_date(text_of(item), as_of)
        if value is not None:
            dates.append(value)
    return dates


def has_dated_items(html: str, as_of: date, at_least: int) -> bool:
    """`len(item_dates(html, as_of)) >= at_least`, without reading the items after the one that decides it."""
    if at_least <= 0:
        return True
    root = parse(html)
    if root is None:
        return False
    count = 0
    for item in iter_list_items(content_root(root)):
        if latest_date(text_of(item), as_of) is not None:
            count += 1
            if count >= at_least:
                return True
    return False


def newest_item_date(html: str, as_of: date) -> date | None:
    """The date of the newest dated item of a list page (or homepage), None when no item has a date."""
    return max(item_dates(html, as_of), default=None)
