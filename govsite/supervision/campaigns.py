"""抽查 services: create a campaign (分层抽样), scan its sample with the monitor, confirm or reject findings,
record inspectors' own findings (人工检查) and 加分, score every site under the campaign's indicator set, finish.

Every operation takes its actor (`by=`: a user, or `core.access.SYSTEM` for tasks and commands; `None` is
refused), checks scope through `access.py`, writes in one transaction and records the audit log. Bad input is a
`ValidationError` with a Chinese message (field-keyed where a form field matches).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.core.access import SYSTEM, is_platform_admin, is_system, require_actor
from govsite.core.findings import FINDING_KINDS, INSPECTION
from govsite.core.models import Region, Unit
from govsite.core.services import record_audit
from govsite.core.validators import check_text
from govsite.registry.models import Website, WebsiteKind, WebsiteStatus

from . import access, scoring
from .models import (
    Campaign,
    CampaignFinding,
    CampaignSite,
    CampaignStatus,
    FindingSource,
    FindingState,
    IndicatorSet,
    ScanState,
)
from .predictions import current_set
from .sampling import draw_sample
from .uploads import content_kind, file_problem

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from govsite.core.access import AnyUser
    from govsite.monitoring.models import ScanRun

logger = logging.getLogger(__name__)

SAMPLED_STATUSES = (WebsiteStatus.RUNNING, WebsiteStatus.RECTIFYING)
SEED_MAX = 2**63 - 1
ACTIVE_SCAN_STATES = (ScanState.QUEUED, ScanState.SCANNING)

# audit event codes
CREATED = "supervision.campaign.create"
SCANS_STARTED = "supervision.campaign.scan"
FINDING_DECIDED = "supervision.finding.decide"
MANUAL_ADDED = "supervision.finding.manual"
BONUS_SET = "supervision.campaign_site.bonus"
FINISHED = "supervision.campaign.finish"


# -- scope --------------------------------------------------------------------------------------------------


def _visible(by: AnyUser, campaign: Campaign) -> None:
    """404 for a campaign the actor may not see (the system sees every one)."""
    if is_system(by):
        return
    if not access.campaigns_visible_to(by).filter(pk=campaign.pk).exists():
        raise Http404(_("抽查活动不存在或无权访问。"))


def _open(campaign: Campaign) -> None:
    """Refuse changes to a finished campaign (read from the database: a caller's copy may be older)."""
    if Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.FINISHED).exists():
        raise ValidationError(_("抽查已完成，不能再修改。"))


def regions_may_organise(by: AnyUser) -> list[Region]:
    """The regions at the top of the actor's supervision: a campaign's region lies in one of their subtrees."""
    if is_system(by) or is_platform_admin(by):
        return list(Region.objects.filter(parent__isnull=True))
    return [unit.region for unit in access.units_may_organise(by).select_related("region")]


def region_choices(by: AnyUser) -> list[Region]:
    """Every region a campaign may be organised for (the subtrees of `regions_may_organise`), in tree order."""
    tops = regions_may_organise(by)
    if not tops:
        return []
    q = Q(pk__in=[])
    for region in tops:
        q |= Q(path__startswith=region.path)
    return list(Region.objects.filter(q).order_by("path"))


def may_organise_region(by: AnyUser, region: Region) -> bool:
    return any(region.path.startswith(top.path) for top in regions_may_organise(by))


def population(by: AnyUser, region: Region) -> list[Website]:
    """Registry entries a campaign of `region` samples: 运行 or 整改, hosted or not, in the actor's scope."""
    sites = Website.objects.all() if is_system(by) else access.sites_in_scope(by)
    return list(sites.filter(owner_unit__region__path__startswith=region.path, status__in=SAMPLED_STATUSES)
                .select_related("owner_unit__region"))


def _organiser(by: AnyUser, region: Region, unit: Unit | None) -> Unit:
    """The organising unit: the given one (within the actor's supervision), else the region's 人民政府 when the
    actor may organise for it, else the actor's own supervised unit covering the region."""
    allowed = list(access.units_may_organise(by).select_related("region"))
    if unit is not None:
        if not (is_system(by) or is_platform_admin(by)) and not any(unit.path.startswith(u.path) for u in allowed):
            raise ValidationError({"unit": _("组织单位不在您的监管范围内。")})
        return unit
    government = Unit.objects.filter(region=region, kind=Unit.Kind.GOVERNMENT).order_by("path").first()
    if government is not None and (is_system(by) or is_platform_admin(by) or government in allowed):
        return government
    covering = [u for u in allowed if region.path.startswith(u.region.path)]
    if covering:
        return max(covering, key=lambda u: len(u.region.path))
    if government is not None:
        return government
    raise ValidationError({"region": _("该地区没有人民政府机构，请指定组织单位。")})


# -- input --------------------------------------------------------------------------------------------------


def parse_ratio(value: Any) -> Decimal:
    """抽查比例 in (0, 1], at most three decimals."""
    try:
        ratio = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"ratio": _("抽查比例应为数字，如 0.34。")}) from None
    if not ratio.is_finite() or ratio <= 0 or ratio > 1:
        raise ValidationError({"ratio": _("抽查比例应大于 0 且不超过 1。")})
    if ratio != ratio.quantize(Decimal("0.001")):
        raise ValidationError({"ratio": _("抽查比例最多保留三位小数。")})
    return ratio


def parse_seed(value: Any) -> int:
    try:
        seed = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"seed": _("随机种子应为整数。")}) from None
    if not 0 <= seed <= SEED_MAX:
        raise ValidationError({"seed": _("随机种子应为 0 至 %(max)d 之间的整数。") % {"max": SEED_MAX}})
    return seed


def _text(value: str, field: str, label: str, *, max_length: int | None = None, multiline: bool = False,
          required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    problem = check_text(value, multiline=multiline)
    if problem:
        raise ValidationError({field: f"{label}{problem}"})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: _("%(label)s不能超过 %(n)d 个字符。") % {"label": label, "n": max_length}})
    return value


# -- create -------------------------------------------------------------------------------------------------


def do_create_campaign(
    *,
    by: AnyUser,
    region: Region,
    name: str = "",
    period_start: date,
    period_end: date,
    as_of: date,
    ratio: Decimal | float | str,
    seed: int,
    indicator_set: IndicatorSet | None = None,
    rectify_workdays: int = 15,
    unit: Unit | None = None,
) -> Campaign:
    """抽查: draw a stratified sample of the region's sites in the actor's scope and record the campaign with
    its sites (检测中; scans start with `do_start_scans`)."""
    require_actor(by)
    if not access.may_run_campaigns(by):
        raise Http404(_("抽查活动不存在或无权访问。"))
    ratio = parse_ratio(ratio)
    seed = parse_seed(seed)
    if region is None:
        raise ValidationError({"region": _("请选择抽查范围。")})
    if not may_organise_region(by, region):
        raise ValidationError({"region": _("抽查范围“%(region)s”不在您的监管范围内。") % {"region": region.name}})
    if period_start is None or period_end is None or as_of is None:
        raise ValidationError({"period_start": _("请填写抽查期间和评估日期。")})
    if period_start > period_end:
        raise ValidationError({"period_end": _("抽查期间的结束日期不能早于开始日期。")})
    try:
        rectify_workdays = int(rectify_workdays)
    except (TypeError, ValueError):
        raise ValidationError({"rectify_workdays": _("整改期限应为整数个工作日。")}) from None
    if not 1 <= rectify_workdays <= 365:
        raise ValidationError({"rectify_workdays": _("整改期限应为 1 至 365 个工作日。")})
    name = _text(name, "name", _("名称"), max_length=200) or _("%(region)s政府网站抽查（%(day)s）") % {
        "region": region.name, "day": as_of.isoformat()}
    indicator_set = indicator_set or current_set()
    organiser = _organiser(by, region, unit)
    sites = population(by, region)
    if not sites:
        raise ValidationError({"region": _("“%(region)s”没有可抽查的网站（运行或整改状态）。") % {"region": region.name}})
    sample = draw_sample(sites, ratio, seed)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name, unit=organiser, region=region, period_start=period_start, period_end=period_end,
            as_of=as_of, ratio=ratio, seed=seed, strata=sample.counts, indicator_set=indicator_set,
            rectify_workdays=rectify_workdays, status=CampaignStatus.SCANNING,
            created_by=None if is_system(by) else by,
        )
        CampaignSite.objects.bulk_create([
            CampaignSite(campaign=campaign, website=website, stratum=key,
                         provides_services=website.provides_services)
            for website, key in sample.sites
        ])
        record_audit(by, CREATED, campaign, region=region.code, ratio=str(ratio), seed=seed,
                     as_of=as_of.isoformat(), indicator_set=f"{indicator_set.name} v{indicator_set.version}",
                     population=len(sites), sampled=len(sample))
    return campaign


# -- scanning -----------------------------------------------------------------------------------------------


SCAN_TASK = "govsite.supervision.tasks.scan_campaign_site_task"


def do_start_scans(campaign: Campaign, *, by: AnyUser) -> int:
    """Queue one scan task per site still to scan (queued, or failed before: 重新检测), after commit; how many."""
    require_actor(by)
    _visible(by, campaign)
    _open(campaign)
    from celery import current_app

    with transaction.atomic():
        ids = list(campaign.sites.filter(scan_state__in=[ScanState.QUEUED, ScanState.FAILED])
                   .values_list("pk", flat=True))
        if not ids:
            return 0
        CampaignSite.objects.filter(pk__in=ids).update(scan_state=ScanState.QUEUED, scan_error="")
        if campaign.status != CampaignStatus.SCANNING:
            campaign.status = CampaignStatus.SCANNING
            campaign.save(update_fields=["status"])
        record_audit(by, SCANS_STARTED, campaign, sites=len(ids))
        for pk in ids:
            # Sent by the task's name: this module does not import tasks.py, which imports it (no import loop).
            transaction.on_commit(lambda pk=pk: current_app.send_task(SCAN_TASK, args=(pk,)))
    return len(ids)


def scan_campaign_site(site: CampaignSite, *, max_pages: int = 200, **crawl_options: Any) -> CampaignSite:
    """Scan one sampled site with the monitor (as the system, on the campaign's 评估日期), take its findings that
    count under the campaign's indicator set as pending findings, rescore. Idempotent: a done site is kept."""
    from govsite.monitoring.models import RunStatus
    from govsite.monitoring.services import NotScannable, do_scan_website

    site = CampaignSite.objects.select_related("campaign__indicator_set", "website").get(pk=site.pk)
    campaign = site.campaign
    if site.scan_state == ScanState.DONE or campaign.status == CampaignStatus.FINISHED:
        return site
    CampaignSite.objects.filter(pk=site.pk).update(scan_state=ScanState.SCANNING, scan_error="")
    try:
        run = do_scan_website(site.website, by=SYSTEM, as_of=campaign.as_of, max_pages=max_pages, **crawl_options)
    except NotScannable as exc:
        _fail(site, str(exc))
    except Exception as exc:  # noqa: BLE001 — one site's failure must not leave the campaign 检测中 forever
        logger.exception("抽查检测失败：抽查网站 %s", site.pk)
        _fail(site, f"{type(exc).__name__}: {exc}")
    else:
        if run.status == RunStatus.DONE:
            _import_run(site, run)
        else:
            site.run = run
            site.save(update_fields=["run"])
            _fail(site, run.error or _("检测失败。"))
    site.refresh_from_db()
    advance(campaign)
    return site


def _fail(site: CampaignSite, error: str) -> None:
    site.scan_state = ScanState.FAILED
    site.scan_error = error[:2000]
    site.save(update_fields=["scan_state", "scan_error"])


def _import_run(site: CampaignSite, run: ScanRun) -> None:
    definition = site.campaign.indicator_set.definition
    with transaction.atomic():
        site = CampaignSite.objects.select_for_update().get(pk=site.pk)
        site.findings.filter(source=FindingSource.MONITOR).delete()  # a scan given again replaces its import
        CampaignFinding.objects.bulk_create([
            CampaignFinding(
                site=site, source=FindingSource.MONITOR, scan_finding=finding, code=finding.check_name,
                indicator=indicator, url=finding.url or "", column=finding.column or "",
                target=finding.target or "", detail=finding.detail or "", excerpt=finding.excerpt or "",
                found_at=finding.found_at, state=FindingState.PENDING,
            )
            for finding in run.findings.order_by("id")
            if (indicator := scoring.indicator_of(definition, finding.check_name))
        ])
        site.run = run
        site.scan_state = ScanState.DONE
        site.scan_error = ""
        site.save(update_fields=["run", "scan_state", "scan_error"])
        rescore_site(site)


def advance(campaign: Campaign) -> Campaign:
    """检测中 → 核查中 once no site is queued or being scanned."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == CampaignStatus.SCANNING and not campaign.sites.filter(
                scan_state__in=ACTIVE_SCAN_STATES).exists():
            campaign.status = CampaignStatus.REVIEWING
            campaign.save(update_fields=["status"])
    return campaign


@dataclass
class Progress:
    """检测进度 of a campaign."""

    total: int
    done: int
    failed: int
    scanning: int
    queued: int

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100


def progress(campaign: Campaign) -> Progress:
    counts = Counter(campaign.sites.values_list("scan_state", flat=True))
    return Progress(total=sum(counts.values()), done=counts[ScanState.DONE], failed=counts[ScanState.FAILED],
                    scanning=counts[ScanState.SCANNING], queued=counts[ScanState.QUEUED])


# -- scoring ------------------------------------------------------------------------------------------------


@dataclass
class SiteScores:
    """A site's score from its confirmed findings (stored) and the predicted one (confirmed + pending)."""

    confirmed: scoring.ScoreResult
    predicted: scoring.ScoreResult


def _score(site: CampaignSite, findings: list[CampaignFinding]) -> scoring.ScoreResult:
    return scoring.score_site(
        findings, site.campaign.indicator_set.definition,
        is_portal=site.website.kind == WebsiteKind.PORTAL,
        provides_services=site.provides_services,
        bonus_points=site.bonus_points,
    )


def site_scores(site: CampaignSite) -> SiteScores:
    findings = list(site.findings.exclude(state=FindingState.REJECTED).order_by("id"))
    confirmed = [f for f in findings if f.state == FindingState.CONFIRMED]
    return SiteScores(_score(site, confirmed), _score(site, findings))


def rescore_site(site: CampaignSite) -> SiteScores:
    """Store the site's verdict, score, vetoes and deductions from its confirmed findings; also return the
    predicted score (pending findings counted too), for display. A site not scanned yet and without findings
    has no verdict."""
    scores = site_scores(site)
    result = scores.confirmed
    judged = site.scan_state == ScanState.DONE or site.findings.exclude(state=FindingState.REJECTED).exists()
    site.verdict = result.verdict if judged else ""
    site.score = result.score if judged else None
    site.vetoes = list(result.vetoes) if judged else []
    site.deductions = {code: str(points) for code, points in result.deductions.items()} if judged else {}
    site.save(update_fields=["verdict", "score", "vetoes", "deductions"])
    return scores


# -- inspectors ---------------------------------------------------------------------------------------------


def do_decide_finding(finding: CampaignFinding, *, by: AnyUser, confirm: bool, reason: str = "") -> CampaignFinding:
    """核实: confirm a finding (it counts) or reject it (排除, with a reason); the site is scored again."""
    require_actor(by)
    site = finding.site
    _visible(by, site.campaign)
    _open(site.campaign)
    reason = _text(reason, "reason", _("核实意见"), max_length=2000, multiline=True, required=not confirm)
    with transaction.atomic():
        finding.state = FindingState.CONFIRMED if confirm else FindingState.REJECTED
        finding.reason = reason
        finding.decided_by = None if is_system(by) else by
        finding.decided_at = timezone.now()
        finding.save(update_fields=["state", "reason", "decided_by", "decided_at"])
        rescore_site(site)
        record_audit(by, FINDING_DECIDED, finding, campaign=site.campaign_id, site_code=site.website.site_code,
                     code=finding.code, state=finding.state, reason=reason)
    return finding


def manual_codes(definition: dict[str, Any] | None = None) -> list[str]:
    """人工检查 finding codes (manual_*), those that count under `definition` when given."""
    codes = [code for code, kind in FINDING_KINDS.items() if INSPECTION in kind.severities]
    if definition is not None:
        codes = [code for code in codes if scoring.indicator_of(definition, code)]
    return codes


def check_evidence(upload: UploadedFile) -> str:
    """证据文件 (the one check of `uploads.py`): refused in Chinese under the form's field; the content's type."""
    problem = file_problem(upload)
    if problem:
        raise ValidationError({"evidence": _("证据文件：%(problem)s") % {"problem": problem}})
    return content_kind(upload)


def _points(value: Any, indicator: dict[str, Any] | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": _("扣分应为数字。")}) from None
    if not points.is_finite() or points < 0:
        raise ValidationError({"points": _("扣分不能为负数。")})
    top = indicator.get("max") if indicator else None
    if top is not None and points > Decimal(str(top)):
        raise ValidationError({"points": _("扣分不能超过该指标的分值 %(max)s 分。") % {"max": top}})
    return points.quantize(Decimal("0.01"))


def do_add_manual_finding(
    site: CampaignSite,
    *,
    by: AnyUser,
    code: str,
    detail: str,
    url: str = "",
    column: str = "",
    points: Any = None,
    excerpt: str = "",
    evidence: UploadedFile | None = None,
) -> CampaignFinding:
    """人工检查: an inspector's finding (严重表述错误, 办事指南要素缺失, 虚假内容 …) with its evidence; confirmed at
    once and counted in the same score as the monitor's."""
    require_actor(by)
    _visible(by, site.campaign)
    _open(site.campaign)
    definition = site.campaign.indicator_set.definition
    if code not in manual_codes():
        raise ValidationError({"code": _("请选择人工检查的问题类型。")})
    indicator = scoring.indicator_of(definition, code)
    if not indicator:
        raise ValidationError({"code": _("该问题类型在本次抽查的指标体系中不计分。")})
    detail = _text(detail, "detail", _("问题描述"), max_length=5000, multiline=True, required=True)
    url = _text(url, "url", _("页面地址"), max_length=2000)
    if url and not url.lower().startswith(("http://", "https://")):
        raise ValidationError({"url": _("页面地址应以 http:// 或 https:// 开头。")})
    column = _text(column, "column", _("栏目"), max_length=200)
    excerpt = _text(excerpt, "excerpt", _("证据摘录"), max_length=5000, multiline=True)
    entry = scoring.indicator_table(definition).get(indicator)
    value = _points(points, entry) if entry and entry.get("kind") == "deduction" else None
    if evidence is not None:
        check_evidence(evidence)
    now = timezone.now()
    user = None if is_system(by) else by
    with transaction.atomic():
        finding = CampaignFinding(
            site=site, source=FindingSource.INSPECTION, code=code, indicator=indicator, url=url, column=column,
            detail=detail, excerpt=excerpt, points=value, found_at=now, state=FindingState.CONFIRMED,
            decided_by=user, decided_at=now, created_by=user,
        )
        if evidence is not None:
            finding.evidence.save(PurePath(evidence.name).name, evidence, save=False)
        finding.save()
        rescore_site(site)
        record_audit(by, MANUAL_ADDED, finding, campaign=site.campaign_id, site_code=site.website.site_code,
                     code=code, points=str(value) if value is not None else "", evidence=bool(evidence))
    return finding


def do_set_bonus(site: CampaignSite, *, by: AnyUser, points: Any, reason: str = "") -> CampaignSite:
    """加分 of a portal (0 to the set's bonus total, 30 by default), with a reason; scored again."""
    require_actor(by)
    _visible(by, site.campaign)
    _open(site.campaign)
    if site.website.kind != WebsiteKind.PORTAL:
        raise ValidationError({"points": _("只有政府门户网站可以加分。")})
    top = Decimal(str(site.campaign.indicator_set.definition.get("bonus_total", 30)))
    try:
        value = Decimal(str(points).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": _("加分应为数字。")}) from None
    if not value.is_finite() or value < 0 or value > top:
        raise ValidationError({"points": _("加分应在 0 至 %(max)s 分之间。") % {"max": top}})
    reason = _text(reason, "reason", _("加分理由"), max_length=2000, multiline=True, required=value > 0)
    with transaction.atomic():
        site.bonus_points = value.quantize(Decimal("0.01"))
        site.bonus_reason = reason
        site.save(update_fields=["bonus_points", "bonus_reason"])
        rescore_site(site)
        record_audit(by, BONUS_SET, site, campaign=site.campaign_id, site_code=site.website.site_code,
                     points=str(site.bonus_points), reason=reason)
    return site


# -- finish -------------------------------------------------------------------------------------------------


def finish_problems(campaign: Campaign) -> list[str]:
    """Why a campaign cannot be finished yet, in Chinese (empty when it can)."""
    problems = []
    active = campaign.sites.filter(scan_state__in=ACTIVE_SCAN_STATES).count()
    if active:
        problems.append(_("还有 %(n)d 个网站正在检测。") % {"n": active})
    unjudged = campaign.sites.filter(verdict="").count()
    if unjudged and not active:
        problems.append(_("有 %(n)d 个网站检测失败且没有检查结论，请重新检测或人工检查。") % {"n": unjudged})
    pending = CampaignFinding.objects.filter(site__campaign=campaign, state=FindingState.PENDING).count()
    if pending:
        problems.append(_("还有 %(n)d 个问题待核实。") % {"n": pending})
    return problems


def do_finish_campaign(campaign: Campaign, *, by: AnyUser) -> Campaign:
    """完成抽查: refused while scans run or findings wait for an inspector; then 已完成 and 整改 tickets."""
    from .tickets import do_issue_tickets

    require_actor(by)
    _visible(by, campaign)
    _open(campaign)
    problems = finish_problems(campaign)
    if problems:
        raise ValidationError(_("不能完成抽查：%(problems)s") % {"problems": "".join(problems)})
    with transaction.atomic():
        campaign.status = CampaignStatus.FINISHED
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["status", "finished_at"])
        record_audit(by, FINISHED, campaign, sites=campaign.sites.count(),
                     failed=campaign.sites.filter(verdict=scoring.FAIL).count())
        do_issue_tickets(campaign, by=by)
    return campaign
