"""Queries of the 网站监测 pages (selectors): what the dashboard, a site, a run and the exports show.

Plain functions of the user and the filters, shared by `views.py` and `xlsx.py` (an export never imports a
view). Scope (一级管一级) comes only from ``govsite.registry.access``: lists start from ``websites_visible_to``,
one site is ``access_website`` and a run is opened through its website, so an out-of-scope site or run is 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.core.models import Unit
from govsite.registry.access import access_website, websites_supervised_by, websites_visible_to
from govsite.registry.models import Website

from .contract import Severity
from .labels import check_label, severity_label
from .models import AvailabilityProbe, RunStatus, ScanFinding, ScanRun, Verdict
from .services import QUEUED, RUNNING, SCANNED_STATUSES, scan_states

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TREND_DAYS = 30
AVAILABILITY_DAYS = 7
NOT_SCANNED = "not_scanned"
WEB_SCHEMES = ("http://", "https://")
SEVERITY_RANK = {Severity.VETO: 0, Severity.DEDUCTION: 1, Severity.WARN: 2, Severity.INFO: 3}


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


# -- the dashboard's filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilters:
    """筛选条件 of the dashboard and its export: name or 网站标识码, a unit subtree, a predicted verdict."""

    q: str = ""
    unit: Unit | None = None
    verdict: str = ""


def filter_scope(websites: QuerySet[Website], filters: DashboardFilters) -> QuerySet[Website]:
    """Search and unit subtree: which sites the summary, chart and table are about."""
    if filters.q:
        websites = websites.filter(Q(name__icontains=filters.q) | Q(site_code__icontains=filters.q))
    if filters.unit:
        websites = websites.filter(owner_unit__path__startswith=filters.unit.path)
    return websites


def filter_verdict(websites: QuerySet[Website], verdict: str) -> QuerySet[Website]:
    """The sites of one predicted verdict, or not yet scanned (`NOT_SCANNED`); all for ""."""
    if verdict == NOT_SCANNED:
        return websites.filter(latest_run_id__isnull=True)
    if verdict:
        return websites.filter(latest_verdict=verdict)
    return websites


def dashboard_scope(user: AbstractBaseUser, filters: DashboardFilters) -> QuerySet[Website]:
    """The monitored sites the user sees, searched and narrowed to a unit subtree (not yet by verdict)."""
    return filter_scope(monitored_websites(user), filters)


def dashboard_summary(scope: QuerySet[Website]) -> dict[str, int]:
    """Counts of the dashboard's sites: all, predicted to fail, predicted to pass, not yet scanned."""
    return scope.aggregate(
        sites=Count("pk"),
        would_fail=Count("pk", filter=Q(latest_verdict=Verdict.WOULD_FAIL)),
        would_pass=Count("pk", filter=Q(latest_verdict=Verdict.WOULD_PASS)),
        not_scanned=Count("pk", filter=Q(latest_run_id__isnull=True)),
    )


def dashboard_websites(scope: QuerySet[Website], filters: DashboardFilters) -> QuerySet[Website]:
    """The dashboard's table (and export): the scope by verdict, in 网站标识码 order."""
    return filter_verdict(scope, filters.verdict).select_related("owner_unit").order_by("site_code")


def export_site_rows(user: AbstractBaseUser, filters: DashboardFilters) -> list[SiteRow]:
    """导出: the dashboard's (filtered) sites, one row each."""
    return site_rows(dashboard_websites(dashboard_scope(user, filters), filters))


def scannable_ids(user: AbstractBaseUser, websites: Iterable[Website]) -> set[int]:
    """Which of these sites the user may 立即检测 (those they supervise)."""
    return set(websites_supervised_by(user).filter(pk__in=[w.pk for w in websites]).values_list("pk", flat=True))


def can_scan_site(user: AbstractBaseUser, website: Website) -> bool:
    """立即检测 of one site: the user supervises it and the monitor looks at it (运行 and 整改)."""
    return websites_supervised_by(user).filter(pk=website.pk).exists() and website.status in SCANNED_STATUSES


def latest_done_run(website: Website) -> ScanRun | None:
    """The site's latest finished run (its findings are what the site page shows)."""
    return website.scan_runs.filter(status=RunStatus.DONE).first()


def site_trend(website: Website) -> Trend:
    """The trend of one site."""
    return trend(Website.objects.filter(pk=website.pk))


def labelled_findings(run: ScanRun) -> list[ScanFinding]:
    """A run's findings, each with its check and severity in Chinese (for the export)."""
    findings = list(run.findings.all())
    for finding in findings:
        finding.check_label = check_label(finding.check_name)
        finding.severity_label = severity_label(finding.severity)
    return findings
