"""抽查 admin pages: 200 for the supervisor, 404 for others; forms change data through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govsite.core.models import AuditLog, Role
from govsite.supervision.campaigns import do_create_campaign, rescore_site
from govsite.supervision.models import Campaign, CampaignFinding, FindingSource, FindingState, ScanState
from govsite.testing import client_for, give_role, make_user

from .campaign_data import AS_OF, sampled_region

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"supervision:{name}", args=args)


@pytest.fixture
def setup():  # noqa: ANN201
    r = sampled_region()
    r.campaign = do_create_campaign(by=r.sup_a, region=r.prefecture_a, period_start=AS_OF, period_end=AS_OF,
                                    as_of=AS_OF, ratio="1", seed=11)
    r.site = r.campaign.sites.get(website=r.site_a1)
    r.site.scan_state = ScanState.DONE
    r.site.save(update_fields=["scan_state"])
    r.finding = CampaignFinding.objects.create(site=r.site, source=FindingSource.MONITOR, code="stale_column",
                                               indicator="deduction.daily_update", column="政务要闻",
                                               url="https://www.jiayi.gov.cn/", detail="栏目 40 天未更新")
    rescore_site(r.site)
    r.editor = make_user("editor_a1")
    give_role(r.editor, Role.EDITOR, website=r.site_a1)
    return r


def test_supervisor_pages_render(setup) -> None:  # noqa: ANN001
    client = client_for(setup.sup_a)
    listing = client.get(url("campaigns"))
    assert listing.status_code == 200 and setup.campaign.name in listing.content.decode()
    assert client.get(url("campaign_create")).status_code == 200
    detail = client.get(url("campaign", setup.campaign.pk))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "已检测 1 / 8" in html and "县级·部门网站" in html and "甲一县人民政府网" in html
    assert "window.location.reload" in html  # 检测中: the page reloads itself
    assert "历次抽查合格率" not in html  # one campaign of 甲市 so far
    later = do_create_campaign(by=setup.sup_a, region=setup.prefecture_a, period_start=AS_OF, period_end=AS_OF,
                               as_of=AS_OF, ratio="0.5", seed=12, name="第二次抽查")
    html = client.get(url("campaign", later.pk)).content.decode()
    assert "历次抽查合格率" in html and "100.0%" in html and setup.campaign.name in html
    page = client.get(url("campaign_site", setup.site.pk))
    assert page.status_code == 200 and "栏目 40 天未更新" in page.content.decode()


def test_others_get_404(setup) -> None:  # noqa: ANN001
    client = client_for(setup.sup_b)
    assert client.get(url("campaign", setup.campaign.pk)).status_code == 404
    assert client.get(url("campaign_site", setup.site.pk)).status_code == 404
    assert client.post(url("campaign_finding_decide", setup.finding.pk), {"decision": "confirm"}).status_code == 404
    # a user without supervision: no campaign page at all (Wagtail's login for one without admin access)
    editor = client_for(setup.editor)
    for path in (url("campaigns"), url("campaign", setup.campaign.pk), url("campaign_site", setup.site.pk)):
        assert editor.get(path).status_code in (302, 404)
    assert setup.sup_b.username not in "".join(
        client_for(setup.sup_b).get(url("campaigns")).content.decode().split(setup.campaign.name)[1:])
    setup.finding.refresh_from_db()
    assert setup.finding.state == FindingState.PENDING


def test_confirm_and_reject_through_the_page(setup) -> None:  # noqa: ANN001
    client = client_for(setup.sup_a)
    client.post(url("campaign_finding_decide", setup.finding.pk), {"decision": "confirm"})
    setup.site.refresh_from_db()
    assert setup.site.score == Decimal("98.00")
    response = client.post(url("campaign_finding_decide", setup.finding.pk), {"decision": "reject", "reason": ""},
                           follow=True)
    assert "请填写核实意见" in response.content.decode()
    client.post(url("campaign_finding_decide", setup.finding.pk), {"decision": "reject", "reason": "误判"})
    setup.site.refresh_from_db()
    assert setup.site.score == Decimal("100.00")
    assert AuditLog.objects.filter(event="supervision.finding.decide", username="sup_a").count() == 2


def test_manual_finding_with_evidence_and_bonus_through_the_page(setup) -> None:  # noqa: ANN001
    client = client_for(setup.sup_a)
    bad = client.post(url("campaign_site_manual", setup.site.pk), {
        "code": "manual_serious_wording", "detail": "错写领导人姓名",
        "evidence": SimpleUploadedFile("shot.png", b"not an image")})
    assert bad.status_code == 200 and "只能是 PNG" in bad.content.decode()
    response = client.post(url("campaign_site_manual", setup.site.pk), {
        "code": "manual_serious_wording", "detail": "错写领导人姓名",
        "evidence": SimpleUploadedFile("shot.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)})
    assert response.status_code == 302
    setup.site.refresh_from_db()
    assert setup.site.verdict == "fail"
    manual = setup.site.findings.get(source=FindingSource.INSPECTION)
    evidence = client.get(url("campaign_finding_evidence", manual.pk))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"\x89PNG")
    assert client_for(setup.sup_b).get(url("campaign_finding_evidence", manual.pk)).status_code == 404
    bonus = client.post(url("campaign_site_bonus", setup.site.pk), {"points": "40", "reason": "x"})
    assert "0 至 30" in bonus.content.decode()


def test_create_through_the_page_queues_scans(setup, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    client = client_for(setup.sup_a)
    form = {"name": "", "region": setup.county_a1.pk, "period_start": "2026-11-01", "period_end": "2026-11-26",
            "as_of": "2026-11-26", "ratio": "0.5", "seed": "42", "indicator_set": setup.campaign.indicator_set.pk,
            "rectify_workdays": "15"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url("campaign_create"), form)
    campaign = Campaign.objects.exclude(pk=setup.campaign.pk).get()
    assert response.status_code == 302 and response["Location"] == url("campaign", campaign.pk)
    assert campaign.sites.count() == 1 + 3 and len(callbacks) == 4
    # a region outside the supervisor's subtree is not a choice
    refused = client.post(url("campaign_create"), {**form, "region": setup.prefecture_b.pk})
    assert refused.status_code == 200 and Campaign.objects.count() == 2
    county = client_for(setup.sup_a1).post(url("campaign_create"), {**form, "region": setup.prefecture_a.pk})
    assert county.status_code == 200 and Campaign.objects.count() == 2


def test_finish_refused_with_pending_findings(setup) -> None:  # noqa: ANN001
    client = client_for(setup.sup_a)
    response = client.post(url("campaign_finish", setup.campaign.pk), follow=True)
    assert "不能完成抽查" in response.content.decode()


def test_an_admin_user_without_supervision_gets_404(setup) -> None:  # noqa: ANN001
    from django.contrib.auth.models import Permission

    user = make_user("plain_admin")
    user.user_permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    client = client_for(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # may use the admin at all
    for path in (url("campaigns"), url("campaign_create"), url("campaign", setup.campaign.pk),
                 url("campaign_site", setup.site.pk)):
        assert client.get(path).status_code == 404


def test_pages_have_no_english_left(setup) -> None:  # noqa: ANN001
    from django.test import Client

    from govsite.adminui.tests.crawl import ALLOWED_WORDS, english_in
    from govsite.testing import force_login_verified

    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    force_login_verified(client, setup.sup_a)
    allowed = set(ALLOWED_WORDS) | {"www", "jiayi", "gov", "cn", "https"}
    for path in (url("campaigns"), url("campaign_create"), url("campaign", setup.campaign.pk),
                 url("campaign_site", setup.site.pk)):
        response = client.get(path)
        assert response.status_code == 200
        assert english_in(path, response.content.decode(), allowed) == [], path


def test_the_create_form_offers_todays_dates_and_no_townships(setup) -> None:  # noqa: ANN001
    from django.utils import timezone

    region, client = setup, client_for(setup.sup_a)
    html = client.get(url("campaign_create")).content.decode()
    today = timezone.localdate()
    assert f'name="as_of" value="{today:%Y-%m-%d}"' in html, "a date input needs an ISO value to show it"
    assert f'name="period_start" value="{today.replace(day=1):%Y-%m-%d}"' in html
    township = type(region.county_a1).objects.create(code="990150", name="甲一镇", level="township",
                                                     parent=region.county_a1)
    assert township.name not in client.get(url("campaign_create")).content.decode()
