"""工作日: the working-day calendar that statutory time limits count in (依申请公开 答复期限, 督办时限).

Which day is a working day, in order of precedence:
1. a `WorkdayOverride` (工作日调整) entered by a platform admin: for years the statutory data below does not
   cover yet, or for a local decision;
2. the State Council's 节假日安排 (statutory holidays and 调休 make-up working days) as published in the
   `chinesecalendar` package, for the years it covers (`is_year_covered`);
3. otherwise Monday to Friday are working days and weekends rest days. A year outside the package's data
   is therefore only as right as its overrides: the admin page warns about such years.

Counting: `add_workdays(d, n)` is the day n working days after d, d itself not counted (a request received
on d with a 20-working-day limit is due on `add_workdays(d, 20)`); `workdays_between(d1, d2)` counts the
working days after d1 up to and including d2.

The overrides are few and read on every count, so they are kept in Django's cache (shared by all processes
when the cache is Redis) and dropped whenever one is saved or deleted.
"""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

import chinese_calendar
from django.core.cache import cache as django_cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .access import has_capability, is_system, require_actor
from .models import Capability, WorkdayOverride
from .services import record_audit

CACHE_KEY = "govsite:core:workday-overrides"
CACHE_SECONDS = 3600


# --- the calendar ------------------------------------------------------------------------------------------

@cache
def covered_years() -> range:
    """The years whose 节假日安排 the installed `chinesecalendar` knows."""
    years = {day.year for day in chinese_calendar.holidays} | {day.year for day in chinese_calendar.workdays}
    return range(min(years), max(years) + 1)


def is_year_covered(year: int) -> bool:
    """Whether the statutory holidays of `year` are known; if not, only overrides and weekends count."""
    return year in covered_years()


def _overrides() -> dict[datetime.date, bool]:
    overrides = django_cache.get(CACHE_KEY)
    if overrides is None:
        overrides = dict(WorkdayOverride.objects.values_list("date", "is_workday"))
        django_cache.set(CACHE_KEY, overrides, CACHE_SECONDS)
    return overrides


def clear_cache() -> None:
    """Forget the cached overrides (after a change, or in tests after a rollback)."""
    django_cache.delete(CACHE_KEY)


def _is_workday(day: datetime.date, overrides: dict[datetime.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    if is_year_covered(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def _as_date(day: datetime.date) -> datetime.date:
    # A datetime is a date too; count it by its calendar day.
    return day.date() if isinstance(day, datetime.datetime) else day


def is_workday(day: datetime.date) -> bool:
    """Whether `day` is a working day (工作日)."""
    return _is_workday(_as_date(day), _overrides())


def add_workdays(day: datetime.date, n: int) -> datetime.date:
    """The date `n` working days after `day`, `day` itself not counted. `n == 0` gives `day` unchanged
    (even on a rest day); a negative `n` counts back: the date |n| working days before `day`."""
    day, overrides = _as_date(day), _overrides()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += datetime.timedelta(days=step)
        if _is_workday(day, overrides):
            remaining -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """The number of working days after `start` up to and including `end`. Zero when they are the same day;
    negative (the same count, with the sign turned) when `end` lies before `start`, so that
    `add_workdays(start, workdays_between(start, end)) == end` whenever `end` is a working day."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -workdays_between(end, start)
    overrides = _overrides()
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        count += _is_workday(day, overrides)
    return count


def uncovered_years(years: list[int]) -> list[int]:
    """Those of `years` the statutory data does not cover (the admin page's warning)."""
    return [year for year in years if not is_year_covered(year)]


# --- 工作日调整: the overrides, edited by platform admins ------------------------------------------------------

def may_edit_calendar(user: Any) -> bool:
    """The calendar is province-wide configuration: platform admins (修改系统配置), the system actor."""
    if is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or has_capability(user, Capability.CONFIG_CHANGE)


def _check_may_edit(by: Any) -> None:
    require_actor(by)
    if not may_edit_calendar(by):
        raise PermissionDenied(_("只有平台管理员可以调整工作日。"))


def do_save_workday_override(override: WorkdayOverride, *, by: Any,
                             request: HttpRequest | None = None) -> WorkdayOverride:
    """Add or change one 工作日调整 (a new or an edited, unsaved instance), audited."""
    _check_may_edit(by)
    adding = override._state.adding
    if not (override.note or "").strip():
        raise ValidationError({"note": _("请填写调整依据。")})
    override.full_clean()
    override.changed_by = None if is_system(by) else by
    with transaction.atomic():
        override.save()
        record_audit(by, "core.workday.add" if adding else "core.workday.change", override, request=request,
                     date=override.date.isoformat(), is_workday=override.is_workday, note=override.note)
    return override


def do_delete_workday_override(override: WorkdayOverride, *, by: Any, request: HttpRequest | None = None) -> None:
    """Remove one 工作日调整 (the day counts by the statutory calendar again), audited."""
    _check_may_edit(by)
    with transaction.atomic():
        record_audit(by, "core.workday.delete", override, request=request, date=override.date.isoformat(),
                     is_workday=override.is_workday, note=override.note)
        override.delete()


@receiver(post_save, sender=WorkdayOverride, dispatch_uid="govsite_workday_override_saved")
@receiver(post_delete, sender=WorkdayOverride, dispatch_uid="govsite_workday_override_deleted")
def _override_changed(sender: Any, **kwargs: Any) -> None:
    clear_cache()
    # Again after commit: a reader between the save and the commit may have cached the old rows.
    transaction.on_commit(clear_cache)

