"""Wagtail-admin pages of 网站监测 results (/admin/monitoring/…): the supervisor's dashboard, one site, one run.

What the pages show comes from ``selectors.py`` (scoped there through ``govsite.registry.access``: an
out-of-scope site or run answers 404); the views parse the request, render and audit. The pages read stored
results; the only action is 立即检测 (queue a scan now), for supervisors.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from govsite.core.access import is_supervisor
from govsite.core.admin_helpers import require_permission
from govsite.core.models import Unit
from govsite.core.services import record_audit
from govsite.core.unit_tree import UnitTreeChoiceField
from govsite.registry.access import access_website, units_for_filter

from . import charts, xlsx
from .labels import CHECK_LABELS, SEVERITY_LABELS, check_label, severity_label  # noqa: F401 (re-exported)
from .models import RunStatus, Verdict
from .selectors import (
    AVAILABILITY_DAYS,
    NOT_SCANNED,
    DashboardFilters,
    Trend,
    access_run,
    can_scan_site,
    dashboard_scope,
    dashboard_summary,
    dashboard_websites,
    export_site_rows,
    group_findings,
    labelled_findings,
    latest_done_run,
    scan_state_text,
    scannable_ids,
    site_rows,
    site_trend,
    trend,
    verdict_text,
    veto_labels,
)
from .services import NotScannable, availability, check_request_scan, do_request_scan, scan_states

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

PERMISSION = "monitoring.view_scanrun"
PAGE_SIZE = 50
RUNS_PAGE_SIZE = 20

VERDICT_CHOICES = [
    ("", gettext_lazy("全部结论")),
    (Verdict.WOULD_FAIL, gettext_lazy("将不合格")),
    (Verdict.WOULD_PASS, gettext_lazy("将合格")),
    (NOT_SCANNED, gettext_lazy("未监测")),
]


def dashboard_chart(data: Trend) -> str:
    return charts.trend_figure(
        data.days,
        [charts.Series(_("预判不合格网站数"), data.failing_sites),
         charts.Series(_("单项否决及扣分问题数"), data.problems)],
        title=_("近 %(days)d 天监测趋势") % {"days": len(data.days)},
        chart_id="dashboard-trend",
    )


def site_chart(data: Trend) -> str:
    return charts.trend_figure(
        data.days,
        [charts.Series(_("单项否决问题数"), data.veto), charts.Series(_("扣分问题数"), data.deduction)],
        title=_("近 %(days)d 天本网站监测趋势") % {"days": len(data.days)},
        chart_id="site-trend",
    )


# -- filters ----------------------------------------------------------------------------------------------


class MonitorFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("名称或标识码"), required=False)
    verdict = forms.ChoiceField(label=gettext_lazy("预判结论"), required=False, choices=VERDICT_CHOICES)
    unit = UnitTreeChoiceField(label=gettext_lazy("主办单位（含下级）"), required=False, queryset=Unit.objects.none(),
                               empty_label=gettext_lazy("全部单位"))

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_filter(user)

    def filters(self) -> DashboardFilters:
        """What was asked for; an invalid form filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        return DashboardFilters(q=data.get("q") or "", unit=data.get("unit"), verdict=data.get("verdict") or "")


# -- views ------------------------------------------------------------------------------------------------


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
    context.setdefault("header_icon", "pick")
    return TemplateResponse(request, f"monitoring/{template}", context)


def _querystring(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """网站监测总览: every visible monitored site with its predicted verdict, a 30-day trend and filters."""
    require_permission(request, PERMISSION)
    form = MonitorFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    scope = dashboard_scope(request.user, filters)
    page = Paginator(dashboard_websites(scope, filters), PAGE_SIZE).get_page(request.GET.get("p"))
    return _render(request, "dashboard.html", {
        "page_title": _("网站监测"),
        "filters": form,
        "summary": dashboard_summary(scope),
        "page": page,
        "rows": site_rows(page.object_list),
        "total": page.paginator.count,
        "chart": dashboard_chart(trend(scope)),
        "querystring": _querystring(request, "p"),
        "can_scan": is_supervisor(request.user),
        "scannable_ids": scannable_ids(request.user, page.object_list),
    })


@require_GET
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One site: its runs, the findings of its latest finished run, its trend and availability."""
    require_permission(request, PERMISSION)
    website = access_website(request.user, pk=pk)
    runs = Paginator(website.scan_runs.all(), RUNS_PAGE_SIZE).get_page(request.GET.get("p"))
    latest = latest_done_run(website)
    probes, failures, ratio = availability(website, days=AVAILABILITY_DAYS)
    return _render(request, "site.html", {
        "page_title": website.name,
        "website": website,
        "runs": runs,
        "latest": latest,
        "latest_verdict": verdict_text(latest),
        "latest_veto_labels": veto_labels(latest.veto_items) if latest else [],
        "groups": group_findings(latest.findings.all()) if latest else [],
        "probes": probes,
        "failures": failures,
        "availability_ratio": 1 - ratio if probes else None,
        "chart": site_chart(site_trend(website)),
        **_prediction_context(latest),
        "can_scan": can_scan_site(request.user, website),
        "scan_state": scan_state_text(scan_states([website]).get(website.pk, "")),
    })


def _prediction_context(latest: Any) -> dict[str, Any]:
    """每日预测得分 of the latest run (govsite.supervision) and its trend."""
    from govsite.supervision.charts import score_trend_figure
    from govsite.supervision.models import SiteScore
    from govsite.supervision.predictions import score_trend
    from govsite.supervision.scoring import VERDICT_LABELS, indicator_table

    prediction = SiteScore.objects.filter(run=latest).select_related("indicator_set").first() if latest else None
    if prediction is None:
        return {}
    labels = {code: entry.get("label", code) for code, entry in
              indicator_table(prediction.indicator_set.definition).items()}
    rows = score_trend(latest.website)
    return {
        "prediction": prediction,
        "prediction_verdict": VERDICT_LABELS.get(prediction.verdict, prediction.verdict),
        "prediction_deductions": [(labels.get(code, code), points) for code, points in prediction.deductions.items()],
        "score_chart": score_trend_figure(rows) if rows else None,
    }


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: every finding it recorded, with its evidence."""
    require_permission(request, PERMISSION)
    run = access_run(request.user, pk)
    done = run.status == RunStatus.DONE
    return _render(request, "run.html", {
        "page_title": _("监测记录"),
        "website": run.website,
        "run": run,
        "verdict": verdict_text(run) if done else run.get_status_display(),
        "veto_labels": veto_labels(run.veto_items),
        "groups": group_findings(run.findings.all()),
    })


def _xlsx_response(content: bytes, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename,
                        content_type=xlsx.XLSX_CONTENT_TYPE)


@require_GET
def export_dashboard(request: HttpRequest) -> HttpResponse:
    """导出: the dashboard's (filtered) sites, one row each."""
    require_permission(request, PERMISSION)
    filters = MonitorFilterForm(request.GET or None, user=request.user).filters()
    rows = export_site_rows(request.user, filters)
    record_audit(request.user, "monitoring.export", None, request=request, count=len(rows))
    return _xlsx_response(xlsx.export_dashboard(rows), f"网站监测-{timezone.localdate():%Y%m%d}.xlsx")


@require_GET
def export_run(request: HttpRequest, pk: int) -> HttpResponse:
    """导出: the findings of one run, one row each."""
    require_permission(request, PERMISSION)
    run = access_run(request.user, pk)
    findings = labelled_findings(run)
    record_audit(request.user, "monitoring.export_run", run, request=request, count=len(findings))
    filename = f"网站监测-{run.website.site_code}-{run.as_of:%Y%m%d}-{run.pk}.xlsx"
    return _xlsx_response(xlsx.export_findings(run, findings), filename)


@require_POST
def scan_now(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """立即检测: queue a scan of one site (`pk`) or of every monitored site the supervisor oversees."""
    require_permission(request, PERMISSION)
    try:
        websites = check_request_scan(request.user, pk)
    except NotScannable as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:site", pk=pk)
    count = do_request_scan(request.user, websites, request=request)
    if pk is not None:
        messages.success(request, _("已排队立即检测：%(name)s。检测完成后本页显示结果。") % {"name": websites[0].name})
        return redirect("monitoring:site", pk=pk)
    messages.success(request, _("已排队立即检测 %(count)s 个网站，检测完成后本页显示结果。") % {"count": count})
    return redirect("monitoring:dashboard")
