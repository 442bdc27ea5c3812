"""栏目更新类别 (column update classes) as data: the one table hosted columns (`content.ColumnPage`), registry
column corrections (`registry.WebsiteColumn`) and the monitor (`monitoring.rules`) read.

National rules §9 item 12 (from §2.1/§2.2 栏目不更新): 动态要闻 14 days, 通知公告/政策文件 6 months (一级栏目),
人事/规划计划 1 year; 静态, 互动, 服务 and 专题 are not timed. The identifiers are stored in the database, so
they never change; the labels are Chinese (marked for translation) and plain strings, so the monitor's checks
read them without Django set up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from .findings import gettext_noop


@dataclass(frozen=True)
class UpdateClassDef:
    """One 栏目更新类别: stored identifier, Chinese label, and the longest gap allowed (None: not timed)."""

    code: str
    label: str
    max_age_days: int | None


NEWS = "news"
NOTICE = "notice"
PLAN = "plan"
STATIC = "static"
INTERACTION = "interaction"
SERVICE = "service"
SPECIAL = "special"
# Set in the registry for a column the monitor must not judge, whatever its name says (不计).
NOT_COUNTED = "none"

UPDATE_CLASS_TABLE: tuple[UpdateClassDef, ...] = (
    UpdateClassDef(NEWS, gettext_noop("动态要闻"), 14),
    UpdateClassDef(NOTICE, gettext_noop("通知公告/政策文件"), 183),
    UpdateClassDef(PLAN, gettext_noop("人事/规划计划"), 365),
    UpdateClassDef(STATIC, gettext_noop("静态"), None),
    UpdateClassDef(INTERACTION, gettext_noop("互动"), None),
    UpdateClassDef(SERVICE, gettext_noop("服务"), None),
    UpdateClassDef(SPECIAL, gettext_noop("专题"), None),
)
NOT_COUNTED_LABEL = gettext_noop("不计")

UPDATE_CLASSES: tuple[str, ...] = tuple(row.code for row in UPDATE_CLASS_TABLE)
# Chinese labels as plain strings: for findings' texts and for registry hints written in Chinese.
UPDATE_CLASS_LABELS: dict[str, str] = {row.code: row.label for row in UPDATE_CLASS_TABLE}
# Days without a new item after which a column counts as not updated; None: not timed.
UPDATE_CLASS_MAX_AGE_DAYS: dict[str, int | None] = {row.code: row.max_age_days for row in UPDATE_CLASS_TABLE}


def update_class_choices() -> list[tuple[str, object]]:
    """Model and form choices of a column's update class, labels translated when shown."""
    return [(row.code, gettext_lazy(row.label)) for row in UPDATE_CLASS_TABLE]


def column_update_class_choices() -> list[tuple[str, object]]:
    """The choices of a registry column correction: every update class, and 不计."""
    return [*update_class_choices(), (NOT_COUNTED, gettext_lazy(NOT_COUNTED_LABEL))]
