"""整改工单: issuing from a campaign, answering with evidence, closure by a real re-scan or an accepted reason,
督办 when overdue, 约谈/问责 records, the registry status following the tickets, scope, and the admin pages."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, Role
from govsite.core.workdays import add_workdays
from govsite.monitoring.models import ScanRun
from govsite.monitoring.services import do_scan_website
from govsite.registry.models import SecurityTest, StatusChange, WebsiteStatus
from govsite.supervision import tickets as svc
from govsite.supervision.access import access_ticket
from govsite.supervision.models import (
    ActionKind,
    Campaign,
    CampaignFinding,
    CampaignSite,
    FindingSource,
    FindingState,
    Ticket,
    TicketKind,
    TicketState,
)
from govsite.supervision.predictions import current_set
from govsite.supervision.tasks import escalate_overdue_tickets
from govsite.testing import build_mini_region, give_role, make_user
from govsite.testing.factories import client_for
from govsite.testing.fakesite import ColumnSpec, LinkSpec, SiteSpec
from govsite.testing.fixtures import fake_server, serve_site  # noqa: F401 (pytest fixtures)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n%test\n"


def png(name: str = "截图.png", data: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def refused(response) -> bool:  # noqa: ANN001
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("整改报告")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    region = build_mini_region(hosted=False)
    users = region.users
    users["admin_a"] = make_user("admin_a")
    give_role(users["admin_a"], Role.SITE_ADMIN, website=region.site_a)
    users["admin_a1"] = make_user("admin_a1")
    give_role(users["admin_a1"], Role.SITE_ADMIN, website=region.site_a1)
    users["sup_a"] = make_user("sup_a")
    give_role(users["sup_a"], Role.SUPERVISOR, unit=region.gov_a)
    users["sup_a1"] = make_user("sup_a1")
    give_role(users["sup_a1"], Role.SUPERVISOR, unit=region.gov_a1)
    users["sup_b"] = make_user("sup_b")
    give_role(users["sup_b"], Role.SUPERVISOR, unit=region.gov_b)
    users["sup"] = make_user("sup_province")
    give_role(users["sup"], Role.SUPERVISOR, unit=region.gov)
    return region


def make_campaign(region, *, workdays: int = 15) -> Campaign:  # noqa: ANN001
    today = timezone.localdate()
    return Campaign.objects.create(
        name="2026年第四季度抽查", unit=region.gov, region=region.province, period_start=today - timedelta(days=90),
        period_end=today, as_of=today, ratio=Decimal("0.5"), seed=1, indicator_set=current_set(),
        rectify_workdays=workdays)


def add_site(campaign: Campaign, website, verdict: str, run=None) -> CampaignSite:  # noqa: ANN001
    return CampaignSite.objects.create(campaign=campaign, website=website, stratum="门户", verdict=verdict, run=run,
                                       score=None if verdict == "fail" else Decimal("90"),
                                       vetoes=["site_unreachable"] if verdict == "fail" else [])


def add_finding(entry: CampaignSite, *, code: str = "broken_link", state: str = FindingState.CONFIRMED,
                **fields) -> CampaignFinding:  # noqa: ANN003
    fields.setdefault("url", entry.website.homepage_url)
    fields.setdefault("detail", "链接无法打开")
    return CampaignFinding.objects.create(site=entry, source=FindingSource.MONITOR, code=code, indicator="link",
                                          state=state, **fields)


def site_ticket(region, website=None, *, days_ago: int = 0) -> Ticket:  # noqa: ANN001
    website = website or region.site_a1
    ticket = svc.do_open_ticket(website, by=SYSTEM, title="首页整改", description="请整改首页", workdays=5)
    if days_ago:
        Ticket.objects.filter(pk=ticket.pk).update(deadline=timezone.localdate() - timedelta(days=days_ago))
        ticket.refresh_from_db()
    return ticket


def finding_ticket(region, website=None, *, code: str = "broken_link", place: str = "") -> Ticket:  # noqa: ANN001
    website = website or region.site_a1
    return svc.do_open_ticket(website, by=SYSTEM, title="断链整改", description="修复断链", workdays=5, code=code,
                              place=place or website.homepage_url + "gone.html")


# -- issuing --------------------------------------------------------------------------------------------------


def test_issuing_makes_site_and_finding_tickets_with_a_deadline_in_working_days_once(region):  # noqa: ANN001
    campaign = make_campaign(region, workdays=3)
    failing = add_site(campaign, region.site_a, "fail")
    passing = add_site(campaign, region.site_a1, "pass")
    confirmed = add_finding(passing, column="通知公告", target="https://www.jiayi.gov.cn/x.html",
                            excerpt="证据" * 400)
    add_finding(passing, state=FindingState.PENDING, target="https://www.jiayi.gov.cn/y.html")
    add_finding(failing, state=FindingState.REJECTED, target="https://www.jia.gov.cn/z.html")
    on_a_link = add_finding(failing, target="https://www.jia.gov.cn/gone.html")

    # 2026-09-30 + 3 working days over 国庆 (10月1日–7日 off): 8, 9, then Saturday 10 (调休 working day).
    tickets = svc.do_issue_tickets(campaign, by=region.users["sup"], today=date(2026, 9, 30))
    assert add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert {t.deadline for t in tickets} == {date(2026, 10, 10)}
    assert len(tickets) == 3
    site = next(t for t in tickets if t.kind == TicketKind.SITE)
    assert site.website == region.site_a and site.unit == region.gov_a and site.campaign == campaign
    assert site.title == "甲市人民政府网抽查不合格整改" and site.place == region.site_a.homepage_url
    assert site.created_by == region.users["sup"] and site.state == TicketState.OPEN
    by_finding = {t.finding_id: t for t in tickets if t.kind == TicketKind.FINDING}
    assert set(by_finding) == {confirmed.pk, on_a_link.pk}
    first = by_finding[confirmed.pk]
    assert first.code == "broken_link" and first.unit == region.gov_a1
    assert first.place == "https://www.jiayi.gov.cn/x.html", "a dead link is its target, not its whole column"
    assert first.title == "甲一县人民政府网：链接不可用（https://www.jiayi.gov.cn/x.html）"
    assert first.description.startswith("链接无法打开") and "证据摘录" in first.description
    assert len(first.description) < 800  # the excerpt is cut
    assert by_finding[on_a_link.pk].place == "https://www.jia.gov.cn/gone.html"

    # The failing site is 整改 now, by the system; a site with only finding tickets keeps running.
    region.site_a.refresh_from_db()
    region.site_a1.refresh_from_db()
    assert region.site_a.status == WebsiteStatus.RECTIFYING and region.site_a1.status == WebsiteStatus.RUNNING
    change = StatusChange.objects.get(website=region.site_a)
    assert change.changed_by is None and str(site.pk) in change.reason
    assert AuditLog.objects.filter(event=svc.ISSUED).count() == 3

    # Idempotent.
    assert svc.do_issue_tickets(campaign, by=region.users["sup"], today=date(2026, 9, 30)) == []
    assert Ticket.objects.count() == 3
    # A finding confirmed later gets its ticket on the next run, nothing else.
    late = add_finding(passing, target="https://www.jiayi.gov.cn/late.html")
    assert [t.finding for t in svc.do_issue_tickets(campaign, by=SYSTEM)] == [late]

    with pytest.raises(ValueError):
        svc.do_issue_tickets(campaign, by=None)
    with pytest.raises(Http404):  # the campaign of the province is not 乙市's supervisor's
        svc.do_issue_tickets(campaign, by=region.users["sup_b"])


def test_a_supervisor_opens_a_ticket_only_for_a_site_they_supervise(region):  # noqa: ANN001
    users = region.users
    ticket = svc.do_open_ticket(region.site_a1, by=users["sup_a"], title="更正联系电话", description="页脚电话有误",
                                workdays=5, code="footer_missing")
    assert ticket.kind == TicketKind.FINDING and ticket.place == "" and ticket.created_by == users["sup_a"]
    assert ticket.deadline == add_workdays(timezone.localdate(), 5)
    with pytest.raises(Http404):
        svc.do_open_ticket(region.site_a1, by=users["sup_b"], title="x", description="y", workdays=5)
    with pytest.raises(PermissionDenied):  # the site's own admin sees it but does not supervise it
        svc.do_open_ticket(region.site_a1, by=users["admin_a1"], title="x", description="y", workdays=5)
    with pytest.raises(ValidationError) as caught:
        svc.do_open_ticket(region.site_a1, by=users["sup_a"], title=" ", description="y\x00", workdays="abc")
    assert set(caught.value.message_dict) == {"title", "description", "workdays"}
    assert "请填写标题。" in caught.value.message_dict["title"]


# -- answering ------------------------------------------------------------------------------------------------


def test_only_the_sites_admin_answers_with_evidence_checked_by_content(region, django_capture_on_commit_callbacks):  # noqa: ANN001
    users = region.users
    ticket = finding_ticket(region)
    with pytest.raises(Http404):  # another site's admin does not see the ticket
        svc.do_answer_ticket(ticket, by=users["admin_a"], text="已修复")
    with pytest.raises(PermissionDenied):  # a supervisor sees it but does not answer
        svc.do_answer_ticket(ticket, by=users["sup_a"], text="已修复")
    with pytest.raises(ValueError):
        svc.do_answer_ticket(ticket, by=None, text="已修复")
    for bad in (png("假图片.png", b"not an image at all"), png("程序.exe"), png("空.png", b""),
                SimpleUploadedFile("报告.docx", b"PK\x03\x04junk"),
                SimpleUploadedFile("大.pdf", PDF + b"0" * (10 * 1024 * 1024))):
        with pytest.raises(ValidationError) as caught:
            svc.do_answer_ticket(ticket, by=users["admin_a1"], text="已修复", evidence=bad)
        assert "evidence" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        svc.do_answer_ticket(ticket, by=users["admin_a1"], text="   ")
    assert "请填写整改情况。" in caught.value.message_dict["text"]
    ticket.refresh_from_db()
    assert ticket.state == TicketState.OPEN and not ticket.answers.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = svc.do_answer_ticket(ticket, by=users["admin_a1"], text="已删除失效链接",
                                      evidence=SimpleUploadedFile("整改报告.docx", docx_bytes()))
    assert callbacks  # the forced re-scan is sent after commit
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ANSWERED and answer.answered_by == users["admin_a1"]
    assert answer.evidence.name.endswith("整改报告.docx")
    asked = AuditLog.objects.get(event="monitoring.scan_requested")
    assert asked.username == "system" and asked.object_id == str(region.site_a1.pk)
    assert AuditLog.objects.get(event=svc.ANSWERED).username == "admin_a1"
    svc.do_answer_ticket(ticket, by=users["admin_a1"], text="补充截图", evidence=png())
    assert ticket.answers.count() == 2


# -- closure by a real re-scan --------------------------------------------------------------------------------


def test_a_clean_rescan_closes_what_it_no_longer_finds_and_the_site_runs_again(  # noqa: ANN201
    region, serve_site, django_capture_on_commit_callbacks  # noqa: ANN001, F811
):
    today = timezone.localdate()
    dates = [today - timedelta(days=n) for n in (1, 2)]
    site = serve_site(SiteSpec(
        name="甲市人民政府", homepage_dates=dates,
        columns=[ColumnSpec("政务要闻", "zwyw", item_dates=dates), ColumnSpec("通知公告", "tzgg", item_dates=dates)],
        links=[LinkSpec("/gone.html"), LinkSpec("/lost.html")],
    ))
    website = region.site_a
    website.homepage_url = site.url + "/"
    website.allow_private_network = True
    website.save(update_fields=["homepage_url", "allow_private_network"])
    SecurityTest.objects.create(website=website, tested_on=today, tester="测评中心", passed=True)

    first = do_scan_website(website, by=SYSTEM, max_pages=40)
    broken = {f.target: f for f in first.findings.filter(check_name="broken_link")}
    assert set(broken) == {site.url + "/gone.html", site.url + "/lost.html"}
    campaign = make_campaign(region)
    entry = add_site(campaign, website, "fail", run=first)
    for finding in broken.values():
        add_finding(entry, scan_finding=finding, url=finding.url, column=finding.column, target=finding.target)
    issued = svc.do_issue_tickets(campaign, by=SYSTEM)
    gone = next(t for t in issued if t.place.endswith("/gone.html"))
    lost = next(t for t in issued if t.place.endswith("/lost.html"))
    whole = next(t for t in issued if t.kind == TicketKind.SITE)
    website.refresh_from_db()
    assert website.status == WebsiteStatus.RECTIFYING

    # The run before the tickets closes nothing; an incomplete run closes nothing.
    assert svc.recheck_after_scan(first) == 0
    partial = ScanRun.objects.create(website=website, as_of=today, status="done", complete=False)
    assert svc.recheck_after_scan(partial) == 0

    site.spec.redirects["/gone.html"] = "{self}/"  # the unit fixes one link, and says it fixed both
    admin = make_user("admin_rescan")
    give_role(admin, Role.SITE_ADMIN, website=website)
    svc.do_answer_ticket(lost, by=admin, text="两个失效链接均已修复")
    with django_capture_on_commit_callbacks(execute=True):  # the finished run re-checks through the signal
        second = do_scan_website(website, by=SYSTEM, max_pages=40)
    assert list(second.findings.filter(check_name="broken_link").values_list("target", flat=True)) == [
        site.url + "/lost.html"]
    for ticket in (gone, lost, whole):
        ticket.refresh_from_db()
    assert gone.state == TicketState.CLOSED and gone.close_run == second and gone.closed_by is None
    assert gone.close_reason == f"复查未发现该问题（监测记录 #{second.pk}）" and gone.closed_at is not None
    # Still there: stays open, back from 待复核 to 待整改 (复查未通过).
    assert lost.state == TicketState.OPEN and lost.close_run is None
    assert lost.last_check_run == second, "the unit sees which re-scan still found it"
    page = client_for(admin).get(reverse("supervision:ticket", args=[lost.pk])).content.decode()
    assert "复查仍发现该问题" in page and f"/admin/monitoring/run/{second.pk}/" in page
    assert AuditLog.objects.get(event=svc.RECHECK_FAILED).object_id == str(lost.pk)
    assert whole.state == TicketState.CLOSED and whole.close_run == second  # the re-scan scores 合格
    website.refresh_from_db()
    assert website.status == WebsiteStatus.RUNNING
    back = StatusChange.objects.filter(website=website).latest("pk")
    assert back.to_status == WebsiteStatus.RUNNING and back.changed_by is None
    closes = AuditLog.objects.filter(event=svc.CLOSED)
    assert closes.count() == 2 and {e.username for e in closes} == {"system"}


def test_a_rescan_that_still_fails_keeps_the_site_ticket_open(region):  # noqa: ANN001
    ticket = site_ticket(region, region.site_a)
    run = ScanRun.objects.create(website=region.site_a, as_of=timezone.localdate(), status="done", complete=True)
    run.findings.create(check_name="unreachable", severity="veto", url=region.site_a.homepage_url,
                        detail="无法访问", found_at=timezone.now())
    assert svc.recheck_after_scan(run) == 0
    ticket.refresh_from_db()
    assert ticket.state == TicketState.OPEN
    clean = ScanRun.objects.create(website=region.site_a, as_of=timezone.localdate(), status="done", complete=True)
    assert svc.recheck_after_scan(clean) == 1
    # Without a passed 安全检测 the registry refuses 运行: the site stays 整改, nothing raises.
    region.site_a.refresh_from_db()
    assert region.site_a.status == WebsiteStatus.RECTIFYING


# -- accepted reason, 约谈/问责 ---------------------------------------------------------------------------------


def test_a_supervisor_closes_on_a_written_reason(region):  # noqa: ANN001
    users = region.users
    ticket = site_ticket(region)
    region.site_a1.refresh_from_db()
    assert region.site_a1.status == WebsiteStatus.RECTIFYING
    with pytest.raises(PermissionDenied):
        svc.do_accept_reason(ticket, by=users["admin_a1"], reason="系统原因")
    with pytest.raises(Http404):
        svc.do_accept_reason(ticket, by=users["sup_b"], reason="系统原因")
    with pytest.raises(ValidationError):
        svc.do_accept_reason(ticket, by=users["sup_a"], reason="")
    SecurityTest.objects.create(website=region.site_a1, tested_on=timezone.localdate(), tester="测评中心", passed=True)
    svc.do_accept_reason(ticket, by=users["sup_a1"], reason="栏目已按要求撤并，经核实情况属实。")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED and ticket.closed_by == users["sup_a1"]
    assert ticket.close_reason == "栏目已按要求撤并，经核实情况属实。" and ticket.close_run is None
    region.site_a1.refresh_from_db()
    assert region.site_a1.status == WebsiteStatus.RUNNING
    with pytest.raises(ValidationError):
        svc.do_accept_reason(ticket, by=users["sup_a1"], reason="再次办结")


def test_interviews_and_accountability_are_recorded_by_supervisors(region):  # noqa: ANN001
    users = region.users
    ticket = finding_ticket(region)
    action = svc.do_record_action(ticket, by=users["sup_a"], kind=ActionKind.INTERVIEW, persons="甲一县政府办 张某",
                                  held_on=timezone.localdate().isoformat(), outcome="限期一周整改",
                                  document=SimpleUploadedFile("约谈记录.pdf", PDF))
    assert action.recorded_by == users["sup_a"] and action.document.name.endswith("约谈记录.pdf")
    svc.do_record_action(ticket, by=users["sup_a"], kind=ActionKind.ACCOUNTABILITY, persons="李某",
                         held_on=timezone.localdate(), outcome="通报批评")
    assert [a.kind for a in ticket.actions.all()] == [ActionKind.INTERVIEW, ActionKind.ACCOUNTABILITY]
    assert AuditLog.objects.filter(event=svc.ACTION).count() == 2
    with pytest.raises(ValidationError) as caught:
        svc.do_record_action(ticket, by=users["sup_a"], kind="praise", persons="", outcome="x",
                             held_on=timezone.localdate() + timedelta(days=3))
    assert set(caught.value.message_dict) == {"kind", "persons", "held_on"}
    with pytest.raises(ValidationError):
        svc.do_record_action(ticket, by=users["sup_a"], kind="interview", persons="张某", outcome="x",
                             held_on="2026-13-40")
    with pytest.raises(PermissionDenied):
        svc.do_record_action(ticket, by=users["admin_a1"], kind="interview", persons="张某", outcome="x",
                             held_on=timezone.localdate())
    with pytest.raises(Http404):
        svc.do_record_action(ticket, by=users["sup_b"], kind="interview", persons="张某", outcome="x",
                             held_on=timezone.localdate())


# -- escalation -----------------------------------------------------------------------------------------------


def test_overdue_tickets_escalate_once_to_the_next_level_up(region):  # noqa: ANN001
    county = site_ticket(region, region.site_a1, days_ago=1)
    city = finding_ticket(region, region.site_a)
    Ticket.objects.filter(pk=city.pk).update(deadline=timezone.localdate() - timedelta(days=30))
    top = finding_ticket(region, region.portal)
    Ticket.objects.filter(pk=top.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    on_time = finding_ticket(region, region.site_b)
    done = site_ticket(region, region.site_b, days_ago=5)
    svc.do_accept_reason(done, by=SYSTEM, reason="已核实")

    assert escalate_overdue_tickets() == 3  # the daily task, as the system
    for ticket in (county, city, top, on_time, done):
        ticket.refresh_from_db()
    assert county.escalated_to == region.gov_a  # 甲一县 → 甲市
    assert city.escalated_to == region.gov  # 甲市 → 自治区
    assert top.escalated_to == region.gov  # the top stays where it is
    assert county.escalated_at is not None
    assert on_time.escalated_to is None and done.escalated_to is None
    entry = AuditLog.objects.filter(event=svc.ESCALATED).first()
    assert entry.username == "system"
    assert svc.escalate_overdue() == 0  # not twice
    with pytest.raises(ValueError):
        svc.escalate_overdue(by=None)
    # The escalation is what the dashboard counts as overdue, by age in working days.
    ages = {b.key: b.count for b in svc.open_tickets_by_age(region.users["sup"], timezone.localdate())}
    assert sum(ages.values()) == 4 and ages["not_due"] == 1
    assert ages["late_6_15"] + ages["late_over_15"] == 1  # 30 days late is at least 6 working days
    assert [t.pk for t in svc.overdue_tickets(region.users["sup_a"])] == sorted(
        [city.pk, county.pk], key=lambda pk: Ticket.objects.get(pk=pk).deadline)
    worst = svc.worst_units(region.users["sup"])
    assert worst[0].overdue == 1 and {w.unit for w in worst} == {region.gov, region.gov_a, region.gov_a1,
                                                                 region.gov_b}


def test_settings_run_the_escalation_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["supervision-escalate-overdue"]
    assert entry["task"] == "govsite.supervision.tasks.escalate_overdue_tickets"


# -- scope ----------------------------------------------------------------------------------------------------


def test_a_county_sees_its_own_tickets_and_the_prefecture_its_counties(region):  # noqa: ANN001
    users = region.users
    county = finding_ticket(region, region.site_a1)
    city = finding_ticket(region, region.site_a)
    other = finding_ticket(region, region.site_b)
    assert list(svc.visible_tickets(users["admin_a1"])) == [county]
    assert set(svc.visible_tickets(users["sup_a1"])) == {county}
    assert set(svc.visible_tickets(users["sup_a"])) == {county, city}
    assert set(svc.visible_tickets(users["sup_b"])) == {other}
    assert set(svc.visible_tickets(users["sup"])) == {county, city, other}
    assert set(svc.visible_tickets(make_user("nobody"))) == set()
    with pytest.raises(Http404):
        access_ticket(users["sup_b"], county.pk)
    with pytest.raises(Http404):
        access_ticket(users["admin_a1"], city.pk)
    with pytest.raises(Http404):
        access_ticket(users["admin_a1"], "abc")
    svc.do_answer_ticket(county, by=users["admin_a1"], text="已整改")
    assert list(svc.visible_tickets(users["sup_a"], state=TicketState.ANSWERED)) == [county]
    assert [u.unit for u in svc.worst_units(users["sup_a1"])] == [region.gov_a1]


# -- admin pages ----------------------------------------------------------------------------------------------


@pytest.mark.slow  # provisions a hosted site
def test_pages_are_scoped_and_forms_shown_only_to_those_allowed(region):  # noqa: ANN001
    users = region.users
    county = finding_ticket(region, region.site_a1)
    city = finding_ticket(region, region.site_a)
    Ticket.objects.filter(pk=city.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    # Only a hosted site's staff work in the admin: the county's site is hosted here, its admin named after.
    from govsite.content.services import do_provision_hosted_site

    do_provision_hosted_site(region.site_a1, by=SYSTEM, disclosure_columns=False)
    site_admin = make_user("admin_hosted_a1")
    give_role(site_admin, Role.SITE_ADMIN, website=region.site_a1)
    admin, sup, other = client_for(site_admin), client_for(users["sup_a"]), client_for(users["sup_b"])
    tickets = reverse("supervision:tickets")

    page = admin.get(tickets)
    assert page.status_code == 200
    text = page.content.decode()
    assert "整改工单" in text and str(county.title) in text and f"/tickets/{city.pk}/" not in text
    page = sup.get(tickets, {"overdue": "1"})
    assert page.status_code == 200 and f"/tickets/{city.pk}/" in page.content.decode()
    assert f"/tickets/{county.pk}/" not in page.content.decode() and "逾期" in page.content.decode()
    for query in ({"state": "bogus"}, {"overdue": "x", "escalated": "\x00"}, {"p": "999"}):
        assert sup.get(tickets, query).status_code == 200

    detail = reverse("supervision:ticket", args=[county.pk])
    assert other.get(detail).status_code == 404
    assert admin.get(reverse("supervision:ticket", args=[city.pk])).status_code == 404
    as_admin, as_sup = admin.get(detail).content.decode(), sup.get(detail).content.decode()
    assert 'name="text"' in as_admin and 'name="reason"' not in as_admin and 'name="persons"' not in as_admin
    assert 'name="text"' not in as_sup and 'name="reason"' in as_sup and 'name="persons"' in as_sup

    # 整改情况 with evidence through the page; a bad file is a message, not a 500.
    answer_url = reverse("supervision:ticket_answer", args=[county.pk])
    bad = admin.post(answer_url, {"text": "已修复", "evidence": SimpleUploadedFile("a.png", b"text")})
    assert bad.status_code == 200 and "文件只能是 PNG" in bad.content.decode()
    assert refused(sup.post(answer_url, {"text": "已修复"})) and not county.answers.exists()
    assert other.post(answer_url, {"text": "已修复"}).status_code == 404
    done = admin.post(answer_url, {"text": "已修复断链", "evidence": png()})
    assert done.status_code == 302
    answer = county.answers.get()

    # 约谈 with a document, then the files are served only to those who see the ticket.
    action_url = reverse("supervision:ticket_action", args=[county.pk])
    assert refused(admin.post(action_url, {"kind": "interview"}))
    form_error = sup.post(action_url, {"kind": "interview", "persons": "", "held_on": "bad", "outcome": ""})
    assert form_error.status_code == 200
    ok = sup.post(action_url, {"kind": "interview", "persons": "张某", "held_on": timezone.localdate().isoformat(),
                               "outcome": "限期整改", "document": SimpleUploadedFile("记录.pdf", PDF)})
    assert ok.status_code == 302
    action = county.actions.get()
    for kind, pk in (("answer", answer.pk), ("action", action.pk)):
        url = reverse("supervision:ticket_file", args=[county.pk, kind, pk])
        response = sup.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert admin.get(url).status_code == 200
        assert other.get(url).status_code == 404
        assert sup.get(reverse("supervision:ticket_file", args=[city.pk, kind, pk])).status_code == 404
    assert sup.get(reverse("supervision:ticket_file", args=[county.pk, "other", answer.pk])).status_code == 404
    detail_text = sup.get(detail).content.decode()
    assert "已修复断链" in detail_text and "张某" in detail_text and "约谈" in detail_text

    # 采纳说明并办结.
    accept_url = reverse("supervision:ticket_accept", args=[county.pk])
    assert refused(admin.post(accept_url, {"reason": "x"}))
    assert sup.post(accept_url, {"reason": ""}).status_code == 200
    assert sup.post(accept_url, {"reason": "经核实已整改到位"}).status_code == 302
    county.refresh_from_db()
    assert county.state == TicketState.CLOSED
    assert "经核实已整改到位" in sup.get(detail).content.decode()
    assert sup.get(reverse("supervision:ticket", args=["999999"])).status_code == 404


def test_the_findings_evidence_downloads_for_those_who_see_the_ticket(region):  # noqa: ANN001
    campaign = make_campaign(region)
    entry = add_site(campaign, region.site_a1, "pass")
    finding = add_finding(entry, target="https://www.jiayi.gov.cn/gone.html")
    finding.evidence.save("断链截图.png", SimpleUploadedFile("断链截图.png", PNG))
    [ticket] = svc.do_issue_tickets(campaign, by=SYSTEM)
    url = reverse("supervision:ticket_file", args=[ticket.pk, "finding", finding.pk])
    sup, other = client_for(region.users["sup_a"]), client_for(region.users["sup_b"])
    response = sup.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert "attachment" in response["Content-Disposition"]
    assert other.get(url).status_code == 404
    assert sup.get(reverse("supervision:ticket_file", args=[ticket.pk, "finding", finding.pk + 1])).status_code == 404
    page = sup.get(reverse("supervision:ticket", args=[ticket.pk])).content.decode()
    assert url in page and "链接不可用" in page  # the code's label from the indicator registry
