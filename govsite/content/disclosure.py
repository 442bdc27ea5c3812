"""主动公开时限 (条例 Art 26, §9 item 28): a catalogue item is due within 20 working days of the day its
information was formed or changed (`ArticlePage.formed_at`), counted on the shared working-day calendar
(`core.workdays`: statutory holidays and 调休).

Catalogue items are the items under the 政府信息公开 column and every 政策文件. Status of one item:
按期公开 (published by its due date), 逾期公开 (published after it), and for an item not yet published:
未到期, 即将到期 (due within `DUE_SOON_WORKDAYS` working days) or 已逾期 (its due date has passed).

Scope: `clock_items_visible_to` reads pages through `content.access.pages_visible_to`, so editors see their own
site's items, drafts included; supervisors see the published items of the sites in their subtree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.core.workdays import add_workdays, workdays_between

from .access import pages_visible_to
from .disclosure_columns import OGI_KINDS
from .models import ArticlePage, ColumnPage, PolicyDocumentPage

if TYPE_CHECKING:
    from govsite.core.access import AnyUser

DISCLOSURE_WORKDAYS = 20  # 条例 Art 26
DUE_SOON_WORKDAYS = 5


class ClockStatus:
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    LABELS = {ON_TIME: _("按期公开"), LATE: _("逾期公开"), PENDING: _("未到期"), DUE_SOON: _("即将到期"),
              OVERDUE: _("已逾期")}


def disclosure_due_date(formed_at: datetime.date) -> datetime.date:
    """公开期限: the 20th working day after the day the information was formed or changed."""
    return add_workdays(formed_at, DISCLOSURE_WORKDAYS)


def clock_status(formed_at: datetime.date, published_on: datetime.date | None, today: datetime.date) -> str:
    due = disclosure_due_date(formed_at)
    if published_on is not None:
        return ClockStatus.ON_TIME if published_on <= due else ClockStatus.LATE
    if today > due:
        return ClockStatus.OVERDUE
    return ClockStatus.DUE_SOON if workdays_between(today, due) <= DUE_SOON_WORKDAYS else ClockStatus.PENDING


@dataclass(frozen=True)
class ClockRow:
    """One catalogue item on the clock."""

    item: ArticlePage
    formed_at: datetime.date
    due: datetime.date
    published_on: datetime.date | None
    status: str

    @property
    def status_label(self) -> str:
        return str(ClockStatus.LABELS[self.status])


def catalogue_items(pages: QuerySet) -> QuerySet[ArticlePage]:
    """The catalogue items among `pages` that carry a 形成日期: under a 政府信息公开 column, or 政策文件."""
    ogi_paths = ColumnPage.objects.filter(column_kind__in=OGI_KINDS).values_list("path", flat=True)
    under_ogi = Q(pk__in=[])
    for path in ogi_paths:
        under_ogi |= Q(path__startswith=path)
    policy = Q(pk__in=PolicyDocumentPage.objects.values("pk"))
    return ArticlePage.objects.filter(pk__in=pages.values("pk"), formed_at__isnull=False).filter(under_ogi | policy)


def _published_on(item: ArticlePage) -> datetime.date | None:
    # First publication counts (a later correction does not make an item late); a draft has none.
    if item.first_published_at is None:
        return None
    return timezone.localtime(item.first_published_at).date()


def clock_rows(items: QuerySet[ArticlePage], *, today: datetime.date | None = None) -> list[ClockRow]:
    today = today or timezone.localdate()
    rows = []
    for item in items.order_by("formed_at", "pk"):
        published_on = _published_on(item)
        rows.append(ClockRow(item, item.formed_at, disclosure_due_date(item.formed_at), published_on,
                             clock_status(item.formed_at, published_on, today)))
    return rows


def clock_items_visible_to(user: AnyUser) -> QuerySet[ArticlePage]:
    """The catalogue items this user may see on the clock (editors: their site; supervisors: their subtree)."""
    return catalogue_items(pages_visible_to(user))


def attention_rows(user: AnyUser, *, today: datetime.date | None = None) -> list[ClockRow]:
    """What needs attention: items due soon, overdue, or published late."""
    wanted = {ClockStatus.DUE_SOON, ClockStatus.OVERDUE, ClockStatus.LATE}
    return [row for row in clock_rows(clock_items_visible_to(user), today=today) if row.status in wanted]
