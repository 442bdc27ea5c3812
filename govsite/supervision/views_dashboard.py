"""监管总览 (/admin/supervision/): per supervisor, open tickets by age, 合格率 over campaigns (chart), the worst
units and what is overdue; exported to .xlsx. Everything through the scoped selectors of tickets/summary."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from govsite.core.officedocs import add_table_sheet
from govsite.core.services import record_audit

from .access import campaigns_visible_to, may_run_campaigns
from .charts import bar_figure, pass_rate_figure
from .models import CampaignStatus
from .summary import pass_rate_history
from .tickets import open_tickets_by_age, overdue_tickets, overdue_workdays, visible_tickets, worst_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AGE_COLOURS = ("#007d7e", "#e9b04d", "#d9822b", "#cd4444")
HISTORY = 12  # campaigns on the chart


def _gate(request: HttpRequest) -> None:
    if not may_run_campaigns(request.user):
        raise PermissionDenied


def dashboard_data(user: Any) -> dict[str, Any]:
    """What the page and the export show, for this user's scope."""
    today = timezone.localdate()
    finished = campaigns_visible_to(user).filter(status=CampaignStatus.FINISHED).select_related("unit")
    history = pass_rate_history(list(finished.order_by("-as_of", "-pk")[:HISTORY]))
    overdue = list(overdue_tickets(user, today).select_related("website", "unit", "escalated_to")
                   .order_by("deadline", "pk")[:200])
    return {
        "today": today,
        "ages": open_tickets_by_age(user, today),
        "history": history,
        "worst": worst_units(user, 10, today),
        "overdue": [(ticket, overdue_workdays(ticket, today)) for ticket in overdue],
        "open_total": visible_tickets(user, today=today).filter(state__in=("open", "answered")).count(),
        "running": campaigns_visible_to(user).exclude(status=CampaignStatus.FINISHED).order_by("-created_at")[:5],
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _gate(request)
    data = dashboard_data(request.user)
    data.update({
        "page_title": _("监管总览"), "header_icon": "view",
        "age_chart": bar_figure([(b.label, b.count) for b in data["ages"]], title=_("未办结整改工单（按逾期时长）"),
                                chart_id="ticket-ages", colours=AGE_COLOURS),
        "rate_chart": pass_rate_figure([(f"{c.as_of:%Y-%m-%d}", rate) for c, rate in data["history"]])
        if data["history"] else None,
    })
    return TemplateResponse(request, "supervision/dashboard.html", data)


@require_GET
def export_dashboard(request: HttpRequest) -> HttpResponse:
    """导出: the same four tables, one sheet each."""
    _gate(request)
    data = dashboard_data(request.user)
    workbook = Workbook()
    add_table_sheet(workbook, _("逾期工单"), [_("网站"), _("网站标识码"), _("整改单位"), _("问题"), _("整改期限"),
                                          _("逾期工作日"), _("督办单位")],
                    [(t.website.name, t.website.site_code, t.unit.name, t.title, f"{t.deadline:%Y-%m-%d}", late,
                      t.escalated_to.name if t.escalated_to else "") for t, late in data["overdue"]],
                    sheet=workbook.active)
    add_table_sheet(workbook, _("工单时长"), [_("时长"), _("工单数")], [(b.label, b.count) for b in data["ages"]])
    add_table_sheet(workbook, _("问题最多的单位"), [_("单位"), _("未办结"), _("逾期")],
                    [(row.unit.name, row.open, row.overdue) for row in data["worst"]])
    add_table_sheet(workbook, _("历次抽查合格率"), [_("抽查活动"), _("评估日期"), _("合格率（%）")],
                    [(c.name, f"{c.as_of:%Y-%m-%d}", "" if rate is None else float(rate))
                     for c, rate in data["history"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record_audit(request.user, "supervision.export", None, request=request, overdue=len(data["overdue"]))
    return FileResponse(io.BytesIO(buffer.getvalue()), as_attachment=True, content_type=XLSX,
                        filename=f"监管总览-{data['today']:%Y%m%d}.xlsx")


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("export/", export_dashboard, name="export"),
]
