"""govsite workdays add DATE N | between DATE1 DATE2 | is DATE: the working-day calendar (工作日) at the server.

`add` prints the date N working days after DATE (DATE not counted), `between` the number of working days after
DATE1 up to and including DATE2, `is` 工作日 or 休息日. A date in a year the statutory data does not cover gets
a warning on stderr: there only overrides and weekends count.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from govsite.core import workdays

MAX_SPAN_DAYS = 36525
USAGE = "用法：govsite workdays add 日期 天数 | between 日期1 日期2 | is 日期（日期形如 2026-02-10）"


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”无效，应为 年-月-日，如 2026-02-10。") from None


def _count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"天数“{text}”无效，应为整数，如 5 或 -3。") from None


class Command(BaseCommand):
    help = "按工作日日历计算：add 日期 天数（之后第几个工作日）、between 日期1 日期2（相隔工作日数）、is 日期。"

    def add_arguments(self, parser: Any) -> None:
        # Everything is checked in handle(), so that every mistake is answered in Chinese.
        parser.add_argument("action", nargs="?", help="add、between 或 is")
        parser.add_argument("values", nargs="*", help="日期（年-月-日）和天数")

    def handle(self, *args: Any, action: str | None = None, values: list[str] | None = None,
               **options: Any) -> None:
        try:
            self._answer(action, values or [])
        except OverflowError:
            raise CommandError("超出可计算的日期范围（公元 1–9999 年）。") from None
        except DatabaseError as exc:
            raise CommandError(f"无法读取工作日调整（数据库是否已迁移？可运行 govsite migrate）：{exc}") from None

    def _answer(self, action: str | None, values: list[str]) -> None:
        expected = {"add": 2, "between": 2, "is": 1}
        if action not in expected:
            raise CommandError(USAGE)
        if len(values) != expected[action]:
            raise CommandError(USAGE)
        first = _date(values[0])
        if action == "add":
            n = _count(values[1])
            if abs(n) > 10000:
                raise CommandError("天数过大：最多 10000 个工作日。")
            result = workdays.add_workdays(first, n)
            self._warn_uncovered(first, result)
            self.stdout.write(result.isoformat())
        elif action == "between":
            second = _date(values[1])
            if abs((second - first).days) > MAX_SPAN_DAYS:
                raise CommandError("两个日期相隔过远：最多相隔 100 年。")
            self._warn_uncovered(first, second)
            self.stdout.write(str(workdays.workdays_between(first, second)))
        else:
            self._warn_uncovered(first, first)
            self.stdout.write("工作日" if workdays.is_workday(first) else "休息日")

    def _warn_uncovered(self, start: datetime.date, end: datetime.date) -> None:
        years = workdays.uncovered_years(list(range(min(start, end).year, max(start, end).year + 1)))
        if years:
            known = workdays.covered_years()
            self.stderr.write(
                f"注意：节假日数据只包含 {known.start}–{known.stop - 1} 年；"
                f"{'、'.join(map(str, years))} 年按周一至周五上班计算，另有后台录入的工作日调整的除外。")
