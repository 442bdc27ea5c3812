"""The whole supervision loop in a real browser (issue 13): a supervisor runs a small spot-check campaign on
loopback sites, confirms the findings, finishes it and generates the notice (通报); the county site's
administrator answers the ticket, and the monitor's re-scan closes it.

The scans the worker would run (one per sampled site, then the re-scan an answer queues) run here in the test
thread while the browser waits: on the in-memory SQLite test database a worker thread shares the live server's
one connection and meets "database table is locked". The worker path itself is tested in
test_campaign_worker.py and test_tickets.py."""

from __future__ import annotations

import io
import re
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from govsite.content.tests.test_accessibility import DESKTOP, chromium
from govsite.core.access import SYSTEM
from govsite.core.models import Role
from govsite.monitoring.services import do_scan_website
from govsite.registry.models import SecurityTest
from govsite.supervision.campaigns import scan_campaign_site
from govsite.supervision.models import Campaign, CampaignStatus, FindingState, Notice, Ticket, TicketState
from govsite.testing import browser_login, build_mini_region, give_role, make_user
from govsite.testing.fakesite import ColumnSpec, LinkSpec, SiteSpec

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "Test-pass-2026!"


def login(browser, base: str, username: str):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    browser_login(page, base, username, PASSWORD)
    return context, page


def as_the_worker(task, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
    """Run a task as the worker would, in a thread of its own (Playwright's event loop owns this one; the
    monitor runs its own), while the browser waits; its database connection is closed when it ends."""
    from django.db import connections

    errors: list[BaseException] = []

    def run() -> None:
        try:
            task(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 — re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the task did not finish"
    if errors:
        raise errors[0]


def open_admin(page, url: str) -> str:  # noqa: ANN001
    """Open an admin page and return its main text. The live server's threads and the worker share one
    in-memory SQLite database, which answers two overlapping writes with "table is locked" (a test-database
    artefact, see content/tests/test_publish_flow_browser.py): a page that failed that way is loaded again."""
    for _attempt in range(5):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if "服务暂时不可用" not in page.content():
            break
        time.sleep(0.5)
    return page.locator("main").inner_text()


def point_at(website, url: str) -> None:  # noqa: ANN001
    website.homepage_url = url
    website.allow_private_network = True
    website.save(update_fields=["homepage_url", "allow_private_network"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_campaign_notice_and_a_ticket_closed_by_the_rescan(live_server, redis_broker, serve_site) -> None:  # noqa: ANN001
    today = timezone.localdate()
    region = build_mini_region(hosted=False)
    # 甲市's portal has not updated its homepage for a month (单项否决); 甲一县's has one dead link (扣分).
    city = serve_site(SiteSpec(name="甲市人民政府", homepage_dates=[today - timedelta(days=30)],
                               columns=[ColumnSpec("政务要闻", "zwyw", item_dates=[today - timedelta(days=30)])]))
    county = serve_site(SiteSpec(
        name="甲一县人民政府", homepage_dates=[today - timedelta(days=1), today - timedelta(days=2)],
        columns=[ColumnSpec("政务要闻", "zwyw", item_dates=[today - timedelta(days=1)]),
                 ColumnSpec("通知公告", "tzgg", item_dates=[today - timedelta(days=3)])],
        links=[LinkSpec(href="/gone.html", on="/", text="失效链接")]))
    point_at(region.site_a, city.url + "/")
    point_at(region.site_a1, county.url + "/")
    for website in (region.site_a, region.site_a1):  # 运行 again after 整改 needs a passed 安全检测
        SecurityTest.objects.create(website=website, tested_on=today, tester="示范测评中心", passed=True)
    give_role(make_user("sup_a", password=PASSWORD), Role.SUPERVISOR, unit=region.gov_a)
    county_admin = make_user("admin_a1", password=PASSWORD)
    give_role(county_admin, Role.SITE_ADMIN, website=region.site_a1)  # a site the platform does not host
    base = live_server.url

    with chromium() as browser:
        # The supervisor samples 甲市 (ratio 1: both its sites) and the worker scans them.
        context, page = login(browser, base, "sup_a")
        page.goto(f"{base}/admin/supervision/campaigns/new/")
        page.fill("#id_name", "2026年第四季度甲市政府网站抽查")
        page.select_option("#id_region", value=page.locator("#id_region option", has_text="甲市").first
                           .get_attribute("value"))
        page.fill("#id_period_start", f"{today - timedelta(days=60):%Y-%m-%d}")
        page.fill("#id_period_end", f"{today:%Y-%m-%d}")
        page.fill("#id_as_of", f"{today:%Y-%m-%d}")
        page.fill("#id_ratio", "1")
        page.fill("#id_seed", "7")
        with page.expect_navigation():
            page.get_by_role("button", name="抽样并开始检测").click()
        campaign = Campaign.objects.get()
        assert page.url.endswith(f"/admin/supervision/campaigns/{campaign.pk}/")
        for entry in campaign.sites.all():  # what the worker does with the queued scans
            as_the_worker(scan_campaign_site, entry)
        assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.REVIEWING, list(
            campaign.sites.values_list("scan_state", "scan_error"))
        open_admin(page, f"{base}/admin/supervision/campaigns/{campaign.pk}/")
        assert "已检测 2 / 2" in page.locator("[data-progress]").inner_text()

        # The inspector confirms every finding, site by site.
        for entry in campaign.sites.all():
            for _ in range(40):
                open_admin(page, f"{base}/admin/supervision/campaigns/sites/{entry.pk}/")
                confirm = page.get_by_role("button", name="确认")
                if confirm.count() == 0:
                    break
                with page.expect_navigation():
                    confirm.first.click()
        assert not campaign.sites.filter(findings__state=FindingState.PENDING).exists()
        city_entry = campaign.sites.get(website=region.site_a)
        county_entry = campaign.sites.get(website=region.site_a1)
        assert city_entry.verdict == "fail" and city_entry.score is None
        assert county_entry.verdict == "pass" and county_entry.score < 100

        open_admin(page, f"{base}/admin/supervision/campaigns/{campaign.pk}/")
        with page.expect_navigation():
            page.get_by_role("button", name="完成抽查").click()
        assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.FINISHED
        with page.expect_navigation():
            page.get_by_role("button", name="生成通报").click()
        notice = Notice.objects.get(campaign=campaign)
        assert notice.title in page.locator("main").inner_text()
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("通报正文")).click()
        import docx

        text = "\n".join(p.text for p in docx.Document(io.BytesIO(open(download.value.path(), "rb").read()))
                         .paragraphs)
        assert "合格率" in text and "50.0%" in text
        context.close()

        # The county's site admin answers the dead link's ticket; the unit has fixed the link.
        ticket = Ticket.objects.get(website=region.site_a1, code="broken_link")
        assert ticket.deadline > today
        county.spec.redirects["/gone.html"] = "{self}/"
        context, page = login(browser, base, "admin_a1")
        assert "甲市人民政府网" not in open_admin(page, f"{base}/admin/supervision/tickets/"), "only its own site's"
        page.get_by_role("link", name=ticket.title).first.click()
        page.fill("textarea[name=text]", "已删除失效链接并核查全站链接。")
        with page.expect_navigation():
            page.get_by_role("button", name="提交整改情况").click()
        assert Ticket.objects.get(pk=ticket.pk).state == TicketState.ANSWERED
        as_the_worker(do_scan_website, region.site_a1, by=SYSTEM)  # the re-scan the answer queued
        assert Ticket.objects.get(pk=ticket.pk).state == TicketState.CLOSED
        assert "已办结" in open_admin(page, f"{base}/admin/supervision/tickets/{ticket.pk}/")
        context.close()
