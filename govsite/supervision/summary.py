"""A campaign's results (抽查结果): 合格率 overall, by prefecture (地市) and by unit type, problems by category,
the failing sites with their problems; the history of 合格率 over campaigns. Read by the campaign page, the CLI,
the notice (通报) and the dashboard — one computation, stored verdicts only (scores are stored by rescoring)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from govsite.core.findings import finding_label
from govsite.core.models import Region
from govsite.registry.models import WebsiteKind

from .models import Campaign, CampaignFinding, CampaignSite, FindingState, ScanState
from .scoring import FAIL, PASS, VERDICT_LABELS, indicator_table


def percent(part: int, whole: int) -> Decimal | None:
    """A rate in percent with one decimal, None for an empty group."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class GroupRate:
    key: str
    label: str
    total: int = 0
    passed: int = 0

    @property
    def failed(self) -> int:
        return self.total - self.passed

    @property
    def rate(self) -> Decimal | None:
        return percent(self.passed, self.total)

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {"key": self.key, "label": self.label, "total": self.total, "passed": self.passed,
                "failed": self.failed, "pass_rate": None if rate is None else float(rate)}


@dataclass
class SiteResult:
    """One sampled site: who, where, the verdict and the confirmed problems (labels with details)."""

    entry: CampaignSite
    prefecture: str
    type_label: str
    problems: list[str] = field(default_factory=list)
    pending: int = 0  # findings not yet confirmed or rejected: the site is not rated until they are

    @property
    def website(self) -> Any:
        return self.entry.website

    @property
    def rated(self) -> bool:
        return self.entry.verdict in (PASS, FAIL) and not self.pending

    @property
    def verdict_label(self) -> str:
        if self.pending and self.entry.verdict in (PASS, FAIL):
            return _("待核实")
        return VERDICT_LABELS.get(self.entry.verdict, _("未评分"))


@dataclass
class CampaignSummary:
    campaign: Campaign
    total: int
    scanned: int
    passed: int
    failed: int
    by_prefecture: list[GroupRate]
    by_type: list[GroupRate]
    problems_by_category: list[tuple[str, int]]  # indicator label → confirmed findings
    sites: list[SiteResult]

    @property
    def pass_rate(self) -> Decimal | None:
        return percent(self.passed, self.passed + self.failed)

    @property
    def failing(self) -> list[SiteResult]:
        return [s for s in self.sites if s.rated and s.entry.verdict == FAIL]

    @property
    def pending_sites(self) -> int:
        """Sites with findings still to confirm or reject: left out of the rates until they are."""
        return sum(1 for s in self.sites if s.pending)

    @property
    def progress(self) -> int:
        """Percent of sampled sites whose scan has ended (done or failed)."""
        return int(percent(self.scanned, self.total) or 0)

    def as_dict(self) -> dict[str, Any]:
        rate = self.pass_rate
        return {
            "total": self.total, "scanned": self.scanned, "passed": self.passed, "failed": self.failed,
            "pass_rate": None if rate is None else float(rate),
            "by_prefecture": [g.as_dict() for g in self.by_prefecture],
            "by_type": [g.as_dict() for g in self.by_type],
            "problems_by_category": [{"indicator": label, "count": n} for label, n in self.problems_by_category],
        }


def prefecture_label(region: Region) -> tuple[str, str]:
    """(key, label) of the 地市 a region belongs to; a province-level site is 本级 of its province."""
    if region.level in (Region.Level.PROVINCE,):
        return f"{region.pk}:self", _("%(name)s本级") % {"name": region.name}
    ids = [int(part) for part in region.path.strip("/").split("/") if part]
    ancestors = {r.pk: r for r in Region.objects.filter(pk__in=ids)}
    for pk in ids:
        node = ancestors.get(pk)
        if node is not None and node.level == Region.Level.PREFECTURE:
            return str(node.pk), node.name
    return str(region.pk), region.name


def campaign_summary(campaign: Campaign) -> CampaignSummary:
    """The whole result of a campaign as it stands (scores of sites not yet scored are left out of the rates)."""
    entries = list(
        CampaignSite.objects.filter(campaign=campaign)
        .select_related("website", "website__owner_unit", "website__owner_unit__region")
        .order_by("website__site_code")
    )
    definition = campaign.indicator_set.definition
    labels = {code: entry.get("label", code) for code, entry in indicator_table(definition).items()}
    confirmed = (
        CampaignFinding.objects.filter(site__campaign=campaign, state=FindingState.CONFIRMED).order_by("site", "id")
    )
    pending = Counter(CampaignFinding.objects.filter(site__campaign=campaign, state=FindingState.PENDING)
                      .values_list("site_id", flat=True))
    problems: dict[int, list[str]] = defaultdict(list)
    categories: Counter[str] = Counter()
    for finding in confirmed:
        label = labels.get(finding.indicator, finding.indicator)
        categories[label] += 1
        where = finding.target or finding.column or finding.url
        text = f"{label}：{finding_label(finding.code)}"
        line = f"{text}（{where}）" if where else text
        if line not in problems[finding.site_id]:  # two findings of one kind on one page are one problem to fix
            problems[finding.site_id].append(line)
    by_prefecture: dict[str, GroupRate] = {}
    by_type: dict[str, GroupRate] = {}
    kind_labels = dict(WebsiteKind.choices)
    results: list[SiteResult] = []
    passed = failed = scanned = 0
    region_cache: dict[int, tuple[str, str]] = {}
    for entry in entries:
        region = entry.website.owner_unit.region
        if region.pk not in region_cache:
            region_cache[region.pk] = prefecture_label(region)
        pref_key, pref_label = region_cache[region.pk]
        type_label = str(kind_labels.get(entry.website.kind, entry.website.kind))
        result = SiteResult(entry, pref_label, type_label, problems.get(entry.pk, []), pending[entry.pk])
        results.append(result)
        if entry.scan_state in (ScanState.DONE, ScanState.FAILED):
            scanned += 1
        if not result.rated:
            continue
        ok = entry.verdict == PASS
        passed += ok
        failed += not ok
        for groups, key, label in ((by_prefecture, pref_key, pref_label), (by_type, entry.website.kind, type_label)):
            group = groups.setdefault(key, GroupRate(key, label))
            group.total += 1
            group.passed += ok
    return CampaignSummary(
        campaign=campaign, total=len(entries), scanned=scanned, passed=passed, failed=failed,
        by_prefecture=list(by_prefecture.values()), by_type=list(by_type.values()),
        problems_by_category=categories.most_common(), sites=results,
    )


def pass_rate_history(campaigns: Iterable[Campaign]) -> list[tuple[Campaign, Decimal | None]]:
    """合格率 of each campaign, oldest first (the dashboard's chart)."""
    rows = []
    for campaign in sorted(campaigns, key=lambda c: (c.as_of, c.pk)):
        counts = Counter(CampaignSite.objects.filter(campaign=campaign).values_list("verdict", flat=True))
        rows.append((campaign, percent(counts[PASS], counts[PASS] + counts[FAIL])))
    return rows
