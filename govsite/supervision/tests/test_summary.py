"""A campaign's 合格率 counts only sites whose findings are all decided: a pending veto is not a 合格."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from govsite.supervision.models import Campaign, CampaignFinding, CampaignSite, FindingSource, FindingState
from govsite.supervision.predictions import current_set
from govsite.supervision.summary import campaign_summary
from govsite.testing import build_mini_region


@pytest.fixture
def campaign(db):  # noqa: ANN001, ANN201
    region = build_mini_region(hosted=False)
    item = Campaign.objects.create(name="抽查", unit=region.gov, region=region.province,
                                   period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                                   as_of=date(2026, 11, 30), ratio=Decimal(1), seed=1, indicator_set=current_set())
    for website in (region.portal, region.site_a, region.site_b):
        CampaignSite.objects.create(campaign=item, website=website, stratum="x", verdict="pass", score=100,
                                    scan_state="done")
    return item


def test_a_site_with_pending_findings_is_not_rated_yet(campaign) -> None:  # noqa: ANN001
    entry = campaign.sites.order_by("pk")[1]
    finding = CampaignFinding.objects.create(site=entry, source=FindingSource.MONITOR, code="column_veto",
                                             indicator="veto.columns_stale", detail="空白栏目 5 个")
    summary = campaign_summary(campaign)
    assert (summary.passed, summary.failed, summary.pending_sites) == (2, 0, 1)
    assert summary.pass_rate == Decimal("100.0")
    assert [s.verdict_label for s in summary.sites] == ["合格", "待核实", "合格"]
    finding.state = FindingState.CONFIRMED
    finding.save()
    entry.verdict, entry.score = "fail", None
    entry.save()
    summary = campaign_summary(campaign)
    assert (summary.passed, summary.failed, summary.pending_sites) == (2, 1, 0)
    assert summary.pass_rate == Decimal("66.7") and [s.website for s in summary.failing] == [entry.website]
