"""Wagtail-admin pages of 网站监测 results (/admin/monitoring/…): the supervisor's dashboard, one site, one run.

Scope (一级管一级) comes only from ``govsite.core.access``: lists start from ``websites_visible_to``, one site
is ``access_website`` and a run is opened through its website, so an out-of-scope site or run answers 404.
The pages read stored results; the only action is 立即检测 (queue a scan now), for supervisors.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
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
from govsite.registry.access import (
    access_website,
    units_for_filter,
    websites_supervised_by,
    websites_visible_to,
)
from govsite.registry.models import Website

from . import charts, xlsx
from .contract import Severity
from .labels import CHECK_LABELS, SEVERITY_LABELS, check_label, severity_label  # noqa: F401 (re-exported)
from .models import AvailabilityProbe, RunStatus, ScanFinding, ScanRun, Verdict
from .services import (
    QUEUED,
    RUNNING,
    SCANNED_STATUSES,
    NotScannable,
    availability,
    check_request_scan,
    do_request_scan,
    scan_states,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

PERMISSION = "monitoring.view_scanrun"
PAGE_SIZE = 50
RUNS_PAGE_SIZE = 20
TREND_DAYS = 30
AVAILABILITY_DAYS = 7
NOT_SCANNED = "not_scanned"
WEB_SCHEMES = ("http://", "https://")

SEVERITY_RANK = {Severity.VETO: 0, Severity.DEDUCTION: 1, Severity.WARN: 2, Severity.INFO: 3}
VERDICT_CHOICES = [
    ("", gettext_lazy("全部结论")),
    (Verdict.WOULD_FAIL, gettext_lazy("将不合格")),
    (Verdict.WOULD_PASS, gettext_lazy("将合格")),
    (NOT_SCANNED, gettext_lazy("未监测")),
]


def veto_labels(names: Iterable[str]) -> list[str]:
    """The veto items of a run in Chinese, each once (the three tamper checks are one item)."""
    labels: list[str] = []
    for name in names:
        label = check_label(name)
        if label not in labels:
            labels.append(label)
    return labels


def verdict_text(run: ScanRun | None) -> str:
    if run is None:
        return _("未监测")
    return _("将不合格") if run.verdict == Verdict.WOULD_FAIL else _("将合格")


# -- reading results in scope -----------------------------------------------------------------------------


def monitored_websites(user: AbstractBaseUser) -> QuerySet[Website]:
    """The visible sites the monitor looks at (运行 and 整改), each with its latest finished run annotated."""
    newest = ScanRun.objects.filter(website=OuterRef("pk"), status=RunStatus.DONE).order_by("-started_at", "-id")
    return websites_visible_to(user).filter(status__in=SCANNED_STATUSES).annotate(
        latest_run_id=Subquery(newest.values("pk")[:1]),
        latest_verdict=Subquery(newest.values("verdict")[:1]),
    )


@dataclass
class SiteRow:
    """One line of the dashboard: a site, its latest finished run (or none) and its 7-day availability."""

    website: Website
    run: ScanRun | None
    probes: int = 0
    failures: int = 0
    scan_state: str = ""  # queued / running (立即检测), "" when idle

    @property
    def scan_state_text(self) -> str:
        return scan_state_text(self.scan_state)

    @property
    def verdict_text(self) -> str:
        return verdict_text(self.run)

    @property
    def would_fail(self) -> bool:
        return self.run is not None and self.run.verdict == Verdict.WOULD_FAIL

    @property
    def veto_labels(self) -> list[str]:
        return veto_labels(self.run.veto_items) if self.run else []

    @property
    def availability_ratio(self) -> float | None:
        return (self.probes - self.failures) / self.probes if self.probes else None


def site_rows(websites: Iterable[Website]) -> list[SiteRow]:
    """Dashboard rows for websites from ``monitored_websites`` (two queries, whatever the number of sites)."""
    websites = list(websites)
    runs = ScanRun.objects.in_bulk([w.latest_run_id for w in websites if w.latest_run_id])
    since = timezone.now() - timedelta(days=AVAILABILITY_DAYS)
    probes = {
        row["website"]: row
        for row in AvailabilityProbe.objects.filter(website__in=[w.pk for w in websites], probed_at__gt=since)
        .values("website")
        .annotate(total=Count("pk"), failures=Count("pk", filter=Q(ok=False)))
    }
    states = scan_states(websites)
    rows = []
    for website in websites:
        counts = probes.get(website.pk, {})
        rows.append(SiteRow(website, runs.get(website.latest_run_id), counts.get("total", 0),
                            counts.get("failures", 0), states.get(website.pk, "")))
    return rows


def scan_state_text(state: str) -> str:
    return {QUEUED: _("已排队，等待检测"), RUNNING: _("正在检测")}.get(state, "")


@dataclass
class Trend:
    """Per-day numbers from the latest finished run of each site on each day (by ``ScanRun.as_of``)."""

    days: list[date]
    failing_sites: list[int] = field(default_factory=list)
    veto: list[int] = field(default_factory=list)
    deduction: list[int] = field(default_factory=list)

    @property
    def problems(self) -> list[int]:
        return [v + d for v, d in zip(self.veto, self.deduction, strict=True)]


def trend(websites: QuerySet[Website], *, days: int = TREND_DAYS, end: date | None = None) -> Trend:
    end = end or timezone.localdate()
    day_list = [end - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    latest: dict[tuple[int, date], dict[str, Any]] = {}
    runs = (
        ScanRun.objects.filter(website__in=websites.values("pk"), status=RunStatus.DONE,
                               as_of__gte=day_list[0], as_of__lte=end)
        .order_by("started_at", "id")
        .values("website_id", "as_of", "verdict", "veto_count", "deduction_count")
    )
    for run in runs:
        latest[(run["website_id"], run["as_of"])] = run  # later runs of the same day replace earlier ones
    index = {day: position for position, day in enumerate(day_list)}
    result = Trend(day_list, [0] * days, [0] * days, [0] * days)
    for (_site, day), run in latest.items():
        position = index[day]
        result.failing_sites[position] += run["verdict"] == Verdict.WOULD_FAIL
        result.veto[position] += run["veto_count"]
        result.deduction[position] += run["deduction_count"]
    return result


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


@dataclass
class FindingGroup:
    check: str
    label: str
    severity: str
    findings: list[ScanFinding]

    @property
    def severity_label(self) -> str:
        return severity_label(self.severity)


def group_findings(findings: Iterable[ScanFinding]) -> list[FindingGroup]:
    """Findings by check, the most serious checks first; a group counts as its most serious finding."""
    groups: dict[str, FindingGroup] = {}
    for finding in findings:
        finding.check_label = check_label(finding.check_name)
        finding.severity_label = severity_label(finding.severity)
        # Only web addresses become links: a crawled `javascript:` target must stay inert text.
        finding.url_link = finding.url if finding.url.startswith(WEB_SCHEMES) else ""
        finding.target_link = finding.target if finding.target.startswith(WEB_SCHEMES) else ""
        group = groups.get(finding.check_name)
        if group is None:
            group = groups[finding.check_name] = FindingGroup(
                finding.check_name, finding.check_label, finding.severity, []
            )
        elif SEVERITY_RANK.get(finding.severity, 9) < SEVERITY_RANK.get(group.severity, 9):
            group.severity = finding.severity
        group.findings.append(finding)
    return sorted(groups.values(), key=lambda g: (SEVERITY_RANK.get(g.severity, 9), g.label, g.check))


def access_run(user: AbstractBaseUser, pk: int) -> ScanRun:
    """A run, through its website's scope: a run of a site the user may not see is 404."""
    website_id = ScanRun.objects.filter(pk=pk).values_list("website_id", flat=True).first()
    if website_id is None:
        raise Http404(_("监测记录不存在或无权访问。"))
    website = access_website(user, pk=website_id)
    run = ScanRun.objects.get(pk=pk)
    run.website = website
    return run


# -- filters ----------------------------------------------------------------------------------------------


class MonitorFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("名称或标识码"), required=False)
    verdict = forms.ChoiceField(label=gettext_lazy("预判结论"), required=False, choices=VERDICT_CHOICES)
    unit = UnitTreeChoiceField(label=gettext_lazy("主办单位（含下级）"), required=False, queryset=Unit.objects.none(),
                               empty_label=gettext_lazy("全部单位"))

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_filter(user)

    def _data(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}

    def filter_scope(self, websites: QuerySet[Website]) -> QuerySet[Website]:
        """Search and unit subtree: which sites the summary, chart and table are about."""
        data = self._data()
        if data.get("q"):
            websites = websites.filter(Q(name__icontains=data["q"]) | Q(site_code__icontains=data["q"]))
        if data.get("unit"):
            websites = websites.filter(owner_unit__path__startswith=data["unit"].path)
        return websites

    def filter_verdict(self, websites: QuerySet[Website]) -> QuerySet[Website]:
        verdict = self._data().get("verdict")
        if verdict == NOT_SCANNED:
            return websites.filter(latest_run_id__isnull=True)
        if verdict:
            return websites.filter(latest_verdict=verdict)
        return websites


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
    filters = MonitorFilterForm(request.GET or None, user=request.user)
    scope = filters.filter_scope(monitored_websites(request.user))
    summary = scope.aggregate(
        sites=Count("pk"),
        would_fail=Count("pk", filter=Q(latest_verdict=Verdict.WOULD_FAIL)),
        would_pass=Count("pk", filter=Q(latest_verdict=Verdict.WOULD_PASS)),
        not_scanned=Count("pk", filter=Q(latest_run_id__isnull=True)),
    )
    websites = filters.filter_verdict(scope).select_related("owner_unit").order_by("site_code")
    page = Paginator(websites, PAGE_SIZE).get_page(request.GET.get("p"))
    trend_data = trend(scope)
    return _render(request, "dashboard.html", {
        "page_title": _("网站监测"),
        "filters": filters,
        "summary": summary,
        "page": page,
        "rows": site_rows(page.object_list),
        "total": page.paginator.count,
        "chart": dashboard_chart(trend_data),
        "querystring": _querystring(request, "p"),
        "can_scan": is_supervisor(request.user),
        "scannable_ids": set(websites_supervised_by(request.user).filter(
            pk__in=[w.pk for w in page.object_list]).values_list("pk", flat=True)),
    })


@require_GET
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One site: its runs, the findings of its latest finished run, its trend and availability."""
    require_permission(request, PERMISSION)
    website = access_website(request.user, pk=pk)
    runs = Paginator(website.scan_runs.all(), RUNS_PAGE_SIZE).get_page(request.GET.get("p"))
    latest = website.scan_runs.filter(status=RunStatus.DONE).first()
    probes, failures, ratio = availability(website, days=AVAILABILITY_DAYS)
    site_trend = trend(Website.objects.filter(pk=website.pk))
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
        "chart": site_chart(site_trend),
        "can_scan": websites_supervised_by(request.user).filter(pk=website.pk).exists()
        and website.status in SCANNED_STATUSES,
        "scan_state": scan_state_text(scan_states([website]).get(website.pk, "")),
    })


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
    filters = MonitorFilterForm(request.GET or None, user=request.user)
    websites = filters.filter_verdict(filters.filter_scope(monitored_websites(request.user)))
    rows = site_rows(websites.select_related("owner_unit").order_by("site_code"))
    record_audit(request.user, "monitoring.export", None, request=request, count=len(rows))
    return _xlsx_response(xlsx.export_dashboard(rows), f"网站监测-{timezone.localdate():%Y%m%d}.xlsx")


@require_GET
def export_run(request: HttpRequest, pk: int) -> HttpResponse:
    """导出: the findings of one run, one row each."""
    require_permission(request, PERMISSION)
    run = access_run(request.user, pk)
    findings = list(run.findings.all())
    for finding in findings:
        finding.check_label = check_label(finding.check_name)
        finding.severity_label = severity_label(finding.severity)
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
