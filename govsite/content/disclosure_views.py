"""主动公开时限 admin page (/admin/disclosure-clock/): the catalogue items of the user's scope with their due dates
and status (content/disclosure.py); editors see their site, supervisors their subtree's published items."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from govsite.core.access import is_supervisor
from govsite.registry.access import hosted_websites_visible_to

from .access import website_for_page, websites_drafted_by
from .disclosure import ClockStatus, clock_items_visible_to, clock_rows

PAGE_SIZE = 50


def may_see_clock(user) -> bool:  # noqa: ANN001
    return websites_drafted_by(user).exists() or is_supervisor(user)


def clock_index(request: HttpRequest) -> HttpResponse:
    if not may_see_clock(request.user):
        raise PermissionDenied
    rows = clock_rows(clock_items_visible_to(request.user))
    counts = Counter(row.status for row in rows)
    status = request.GET.get("status", "")
    if status in ClockStatus.LABELS:
        rows = [row for row in rows if row.status == status]
    # Most urgent first: overdue, then due soon, then the rest by due date.
    urgency = {ClockStatus.OVERDUE: 0, ClockStatus.DUE_SOON: 1, ClockStatus.PENDING: 2, ClockStatus.LATE: 3,
               ClockStatus.ON_TIME: 4}
    rows.sort(key=lambda row: (urgency[row.status], row.due))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    sites = {w.pk: w for w in hosted_websites_visible_to(request.user)}
    table = [{"row": row, "website": website_for_page(row.item)} for row in page.object_list]
    return TemplateResponse(request, "content/disclosure_clock.html", {
        "page_title": _("主动公开时限"), "header_icon": "time", "table": table, "page": page,
        "status": status, "site_count": len(sites),
        "filters": [(code, label, counts.get(code, 0)) for code, label in ClockStatus.LABELS.items()],
    })
