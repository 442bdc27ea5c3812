"""抽查 services: inspectors' decisions and manual findings change the stored score; scope (一级管一级);
finishing; one real monitor scan of a loopback site taken into a campaign."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog
from govsite.supervision import access
from govsite.supervision.campaigns import (
    do_add_manual_finding,
    do_create_campaign,
    do_decide_finding,
    do_finish_campaign,
    do_set_bonus,
    do_start_scans,
    progress,
    rescore_site,
    scan_campaign_site,
    site_scores,
)
from govsite.supervision.models import (
    CampaignFinding,
    CampaignSite,
    CampaignStatus,
    FindingSource,
    FindingState,
    ScanState,
)
from govsite.testing.fakesite import ColumnSpec, SiteSpec

from .campaign_data import AS_OF, sampled_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():  # noqa: ANN201
    return sampled_region()


def county_campaign(region, by=SYSTEM, **extra):  # noqa: ANN001, ANN201
    return do_create_campaign(by=by, region=region.county_a1, period_start=AS_OF - timedelta(days=30),
                              period_end=AS_OF, as_of=AS_OF, ratio="1", seed=5, **extra)


def scanned(site: CampaignSite, *codes_places: tuple[str, str]) -> CampaignSite:
    """The site as if its scan was done and imported these monitor findings (pending)."""
    site.scan_state = ScanState.DONE
    site.save(update_fields=["scan_state"])
    for code, column in codes_places:
        CampaignFinding.objects.create(site=site, source=FindingSource.MONITOR, code=code,
                                       indicator="x", column=column, url="https://c.example/", detail="说明")
    rescore_site(site)
    site.refresh_from_db()
    return site


def portal_site(campaign, region) -> CampaignSite:  # noqa: ANN001
    return campaign.sites.get(website=region.site_a1)


def test_confirming_and_rejecting_change_the_stored_score(region) -> None:  # noqa: ANN001
    campaign = county_campaign(region)
    site = scanned(portal_site(campaign, region), ("stale_column", "政务要闻"), ("blank_column", "人事信息"))
    assert (site.verdict, site.score) == ("pass", Decimal("100.00"))  # pending findings do not count yet
    assert site_scores(site).predicted.score == Decimal("96.00")  # but they are shown as predicted
    stale, blank = site.findings.order_by("id")
    do_decide_finding(stale, by=SYSTEM, confirm=True)
    site.refresh_from_db()
    assert site.score == Decimal("98.00") and site.deductions == {"deduction.daily_update": "2"}
    with pytest.raises(ValidationError, match="请填写核实意见"):
        do_decide_finding(blank, by=SYSTEM, confirm=False, reason="  ")
    do_decide_finding(blank, by=SYSTEM, confirm=False, reason="栏目已按规定撤并")
    do_decide_finding(stale, by=SYSTEM, confirm=False, reason="监测误判：栏目按月更新")
    site.refresh_from_db()
    assert site.score == Decimal("100.00")
    assert blank.__class__.objects.get(pk=blank.pk).state == FindingState.REJECTED
    assert AuditLog.objects.filter(event="supervision.finding.decide").count() == 3


def test_a_confirmed_veto_makes_the_site_fail(region) -> None:  # noqa: ANN001
    campaign = county_campaign(region)
    site = scanned(portal_site(campaign, region), ("homepage_stale", ""))
    do_decide_finding(site.findings.get(), by=SYSTEM, confirm=True, reason="首页 20 天未更新")
    site.refresh_from_db()
    assert site.verdict == "fail" and site.score is None and site.vetoes == ["veto.homepage_stale"]


def png(name: str = "shot.png", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\0" * max(size, 32), content_type="image/png")


def docx() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("记录.docx", buffer.getvalue())


def test_manual_veto_finding_fails_the_site_at_once(region) -> None:  # noqa: ANN001
    campaign = county_campaign(region)
    site = scanned(portal_site(campaign, region))
    assert site.verdict == "pass"
    finding = do_add_manual_finding(site, by=SYSTEM, code="manual_serious_wording",
                                    detail="领导人姓名错写", url="https://www.jiayi.gov.cn/a.html", evidence=png())
    site.refresh_from_db()
    assert finding.state == FindingState.CONFIRMED and finding.source == FindingSource.INSPECTION
    assert finding.indicator == "veto.serious_wording" and finding.evidence.name.endswith(".png")
    assert site.verdict == "fail" and site.vetoes == ["veto.serious_wording"]


def test_manual_deductions_count_with_the_monitor_findings(region) -> None:  # noqa: ANN001
    campaign = county_campaign(region)
    site = scanned(portal_site(campaign, region), ("stale_column", "政务要闻"))
    do_decide_finding(site.findings.get(), by=SYSTEM, confirm=True)
    do_add_manual_finding(site, by=SYSTEM, code="manual_guide_elements", detail="办事指南缺少办理材料",
                          points="5", evidence=docx())
    do_add_manual_finding(site, by=SYSTEM, code="manual_basic_info", detail="机构职能未更新")  # default 2 points
    site.refresh_from_db()
    assert site.score == Decimal("91.00")
    assert site.deductions == {"deduction.daily_update": "2", "deduction.basic_info": "2",
                               "deduction.service": "5.00"}


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("shot.png", b"GIF89a not a png"), "只能是 PNG"),
    (SimpleUploadedFile("shot.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 16), "内容与扩展名“.pdf”不符"),
    (SimpleUploadedFile("a.docx", b"PK\x03\x04 broken"), "只能是 PNG"),
])
def test_evidence_is_checked_by_content(region, upload, message) -> None:  # noqa: ANN001
    site = scanned(portal_site(county_campaign(region), region))
    with pytest.raises(ValidationError, match=message):
        do_add_manual_finding(site, by=SYSTEM, code="manual_false_content", detail="伪造发稿日期", evidence=upload)
    assert not site.findings.exists()


def test_evidence_over_ten_megabytes_is_refused(region) -> None:  # noqa: ANN001
    site = scanned(portal_site(county_campaign(region), region))
    with pytest.raises(ValidationError, match="10 MB"):
        do_add_manual_finding(site, by=SYSTEM, code="manual_false_content", detail="伪造发稿日期",
                              evidence=png(size=10 * 1024 * 1024))


def test_manual_finding_needs_a_manual_code_and_a_description(region) -> None:  # noqa: ANN001
    site = scanned(portal_site(county_campaign(region), region))
    with pytest.raises(ValidationError, match="人工检查的问题类型"):
        do_add_manual_finding(site, by=SYSTEM, code="homepage_stale", detail="x")
    with pytest.raises(ValidationError, match="问题描述"):
        do_add_manual_finding(site, by=SYSTEM, code="manual_basic_info", detail=" ")
    with pytest.raises(ValidationError, match="不能超过该指标的分值"):
        do_add_manual_finding(site, by=SYSTEM, code="manual_basic_info", detail="x", points="11")


def test_bonus_only_for_portals_and_counted_above_80(region) -> None:  # noqa: ANN001
    campaign = county_campaign(region)
    site = scanned(portal_site(campaign, region))
    do_set_bonus(site, by=SYSTEM, points="12.5", reason="政务服务一体化")
    site.refresh_from_db()
    assert site.score == Decimal("112.50")
    with pytest.raises(ValidationError, match="0 至 30"):
        do_set_bonus(site, by=SYSTEM, points="31", reason="x")
    department = scanned(campaign.sites.exclude(website=region.site_a1).first())
    with pytest.raises(ValidationError, match="只有政府门户网站"):
        do_set_bonus(department, by=SYSTEM, points="5", reason="x")


def test_finish_is_refused_while_scans_run_or_findings_wait(region) -> None:  # noqa: ANN001
    campaign = county_campaign(region)
    with pytest.raises(ValidationError, match="还有 7 个网站正在检测"):
        do_finish_campaign(campaign, by=SYSTEM)
    for site in campaign.sites.all():
        scanned(site)
    site = scanned(portal_site(campaign, region), ("stale_column", "政务要闻"))
    with pytest.raises(ValidationError, match="还有 1 个问题待核实"):
        do_finish_campaign(campaign, by=SYSTEM)
    do_decide_finding(site.findings.get(), by=SYSTEM, confirm=True)
    do_finish_campaign(campaign, by=SYSTEM)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.FINISHED and campaign.finished_at is not None
    assert [t.finding_id for t in campaign.tickets.all()] == [site.findings.get().pk]  # 整改 issued on finishing
    with pytest.raises(ValidationError, match="抽查已完成"):
        do_add_manual_finding(site, by=SYSTEM, code="manual_basic_info", detail="x")


def test_services_refuse_a_missing_actor(region) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="执行者"):
        county_campaign(region, by=None)


# -- scope --------------------------------------------------------------------------------------------------


def test_another_prefectures_supervisor_cannot_see_or_touch_the_campaign(region) -> None:  # noqa: ANN001
    campaign = do_create_campaign(by=region.sup_a, region=region.prefecture_a, period_start=AS_OF,
                                  period_end=AS_OF, as_of=AS_OF, ratio="0.5", seed=3)
    assert campaign.unit == region.gov_a
    assert access.access_campaign(region.sup_a, campaign.pk) == campaign
    assert access.access_campaign(region.sup, campaign.pk) == campaign  # the level above sees it
    with pytest.raises(Http404):
        access.access_campaign(region.sup_b, campaign.pk)
    site = campaign.sites.first()
    scanned(site)
    with pytest.raises(Http404):
        do_add_manual_finding(site, by=region.sup_b, code="manual_basic_info", detail="越权")
    with pytest.raises(Http404):
        do_finish_campaign(campaign, by=region.sup_b)
    # the sample holds only 甲市's sites
    assert {s.website.owner_unit.region.path.startswith(region.prefecture_a.path) for s in campaign.sites.all()} == {True}


def test_a_county_supervisor_cannot_organise_for_the_prefecture(region) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError, match="不在您的监管范围内"):
        do_create_campaign(by=region.sup_a1, region=region.prefecture_a, period_start=AS_OF, period_end=AS_OF,
                           as_of=AS_OF, ratio="0.5", seed=3)
    own = county_campaign(region, by=region.sup_a1)
    assert own.unit == region.gov_a1
    with pytest.raises(Http404):  # a campaign of the prefecture is not the county's to see
        access.access_campaign(region.sup_a1, do_create_campaign(
            by=region.sup_a, region=region.prefecture_a, period_start=AS_OF, period_end=AS_OF, as_of=AS_OF,
            ratio="0.5", seed=3).pk)


# -- scanning -----------------------------------------------------------------------------------------------


def test_start_scans_queues_one_task_per_site_after_commit(region, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    campaign = county_campaign(region)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert do_start_scans(campaign, by=SYSTEM) == 7
    assert len(callbacks) == 7
    assert progress(campaign).queued == 7


def test_a_real_scan_is_taken_into_the_campaign(region, serve_site) -> None:  # noqa: ANN001
    spec = SiteSpec(name="甲一县人民政府", homepage_dates=[AS_OF - timedelta(days=1)],
                    columns=[ColumnSpec("政务要闻", "zwyw", item_dates=[AS_OF - timedelta(days=40)]),
                             ColumnSpec("通知公告", "tzgg", item_dates=[AS_OF - timedelta(days=2)])])
    fake = serve_site(spec)
    website = region.site_a1
    website.homepage_url = fake.url + "/"
    website.allow_private_network = True
    website.save(update_fields=["homepage_url", "allow_private_network"])
    campaign = county_campaign(region)
    for other in campaign.sites.exclude(website=website):
        scanned(other)
    site = scan_campaign_site(portal_site(campaign, region), max_pages=30)
    assert site.scan_state == ScanState.DONE and site.run is not None
    imported = list(site.findings.all())
    assert imported and {f.state for f in imported} == {FindingState.PENDING}
    assert all(f.scan_finding_id and f.indicator for f in imported)
    assert "stale_column" in {f.code for f in imported}
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REVIEWING
    # the same task given again keeps the site as it is
    assert scan_campaign_site(site).run_id == site.run_id


def test_a_site_no_longer_running_fails_its_scan_and_the_campaign_moves_on(region) -> None:  # noqa: ANN001
    campaign = county_campaign(region)
    for other in campaign.sites.exclude(website=region.site_a1):
        scanned(other)
    region.site_a1.status = "suspended"
    region.site_a1.save(update_fields=["status"])
    site = scan_campaign_site(portal_site(campaign, region))
    assert site.scan_state == ScanState.FAILED and "不在监测范围内" in site.scan_error and site.verdict == ""
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REVIEWING
    with pytest.raises(ValidationError, match="1 个网站检测失败且没有检查结论"):
        do_finish_campaign(campaign, by=SYSTEM)
    do_add_manual_finding(site, by=SYSTEM, code="manual_availability", detail="检查期间网站已关停")
    site.refresh_from_db()
    assert site.verdict == "pass" and site.score == Decimal("99.00")
    do_finish_campaign(campaign, by=SYSTEM)


def test_platform_admin_organises_for_any_region_under_its_government(region) -> None:  # noqa: ANN001
    from govsite.testing import make_user

    admin = make_user("platform_root", is_superuser=True, is_staff=True)
    campaign = do_create_campaign(by=admin, region=region.prefecture_b, period_start=AS_OF, period_end=AS_OF,
                                  as_of=AS_OF, ratio="1", seed=2)
    assert campaign.unit == region.gov_b and campaign.created_by == admin
    assert [s.website for s in campaign.sites.all()] == [region.site_b]
    assert AuditLog.objects.filter(event="supervision.campaign.create", object_id=str(campaign.pk)).exists()


def test_a_department_supervisor_samples_only_the_departments_sites(region) -> None:  # noqa: ANN001
    from govsite.core.models import Role
    from govsite.testing import give_role, make_user

    dept_sup = make_user("dept_sup")
    give_role(dept_sup, Role.SUPERVISOR, unit=region.dept_edu)
    campaign = do_create_campaign(by=dept_sup, region=region.province, period_start=AS_OF, period_end=AS_OF,
                                  as_of=AS_OF, ratio="1", seed=2)
    assert campaign.unit == region.dept_edu
    assert {s.website.owner_unit for s in campaign.sites.all()} == {region.dept_edu}
    assert access.access_campaign(region.sup, campaign.pk) == campaign  # the province's supervisor sees it
