"""Acceptance (issue 9): each demo role does its job in a real browser, on the demo region.

One flow, step by step, every step asserted on what the browser shows: the editor drafts an article with an
ID number and is told at submission what and where (masked); fixes it and submits; the reviewer finds it on
the 工作台 and approves; it is live on the public site; the site admin adds an editor; the supervisor's
工作台 shows monitoring results.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.test_accessibility import DESKTOP, chromium
from govsite.core.models import Role, RoleAssignment
from govsite.demo import data
from govsite.monitoring.models import RunStatus, ScanRun, Verdict
from govsite.registry.models import Website
from govsite.testing import browser_login

pytestmark = pytest.mark.browser
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ID_NUMBER = "11010519491231002X"
TITLE = "关于2026年度公开招聘工作人员资格复审结果的公示"


def _login(context, base: str, username: str, password: str = data.DEMO_PASSWORD):  # noqa: ANN001, ANN202
    # Close the last user's pages first: a request still running on one of them (Wagtail's editing-session
    # ping, a late redirect) could set their session cookie again after the clear, and the login page would
    # then open as the last user's admin home.
    for open_page in context.pages:
        open_page.close()
    context.clear_cookies()
    page = context.new_page()
    try:
        browser_login(page, base, username, password)  # password, then the second step
    except Exception:
        page.screenshot(path=f"/tmp/login-{username}.png", full_page=True)
        raise
    return page


def _messages(page) -> str:  # noqa: ANN001
    return page.locator(".messages").inner_text() if page.locator(".messages").count() else ""


def _type_body(page, text: str) -> None:  # noqa: ANN001
    """Type the 正文: its first 文字 block, added first when the body has none (the body is blocks)."""
    page.wait_for_load_state("networkidle")
    editor = page.locator("[data-contentpath=body] .Draftail-Editor [contenteditable=true]").first
    if not editor.count():
        page.locator("[data-contentpath=body] button.c-sf-add-button").first.click()
        page.locator("[role=option], .w-combobox__option").filter(has_text=re.compile(r"^\s*文字")).first.click()
        editor.wait_for(state="visible")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    # Draftail keeps each block's text in a hidden input; wait until one holds what was typed.
    page.wait_for_function(
        "t => [...document.querySelectorAll('input[name^=body-][name$=-value]')].some(i => i.value.includes(t))",
        arg=text)


def _submit_for_review(page) -> None:  # noqa: ANN001
    page.click("footer .w-dropdown__toggle")
    page.click("footer button[name='action-submit']")
    page.wait_for_load_state("networkidle")


@live_db
def test_each_role_does_its_job_in_the_browser(live_server, settings) -> None:
    # Autosave posts every half second while typing; the in-memory SQLite test database, shared by the live
    # server's threads, answers concurrent writes with "table is locked", which a real server would not.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    call_command("demo", registry_size=30, articles_per_column=3, verbosity=0)
    portal = Website.objects.get(wagtail_site=Site.objects.get(is_default_site=True))
    column = ColumnPage.objects.child_of(portal.wagtail_site.root_page).get(slug="tzgg")
    base = live_server.url

    with chromium() as browser:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")

        # 1. The editor drafts an article with an ID number and is stopped at 提交审核 with what and where.
        page = _login(context, base, "portal_editor")
        page.goto(f"{base}/admin/pages/add/content/articlepage/{column.pk}/")
        page.wait_for_load_state("networkidle")
        page.fill("#id_title", TITLE)
        _type_body(page, f"经资格复审，申请人张某（身份证号 {ID_NUMBER}）符合报考条件，现予公示。")
        _submit_for_review(page)
        shown = _messages(page)
        assert "未提交审核" in shown, shown
        assert "正文 第 1 段" in shown and "居民身份证号" in shown, shown
        assert "110105********002X" in shown and ID_NUMBER not in shown, shown
        assert page.locator("footer button[name='action-submit']").count() == 1  # still a draft, can submit
        article = ArticlePage.objects.get(title=TITLE)
        assert not article.live and article.current_workflow_state is None

        # 2. The editor fixes it and submits; nothing blocks, so it goes to 审核.
        _type_body(page, "经资格复审，申请人张某符合报考条件，现予公示。")
        _submit_for_review(page)
        shown = _messages(page)
        assert TITLE in shown and "审核" in shown and "阻断" not in shown, shown

        # 3. The reviewer finds it on the 工作台 and approves it in the editor.
        page = _login(context, base, "portal_reviewer")
        assert TITLE in page.inner_text("main")
        assert "待我审核" in page.inner_text("main")
        row = page.locator("tr", has_text=TITLE).first
        assert "审核（示范自治区人民政府网）" in row.inner_text()
        row.get_by_role("link", name="审核", exact=True).click()
        page.wait_for_load_state("networkidle")
        page.click("footer .w-dropdown__toggle")
        page.locator("footer").get_by_role("button", name="通过", exact=True).click()
        page.wait_for_load_state("networkidle")
        article.refresh_from_db()
        assert not article.live  # 保密审查 comes next (issue 12)

        # 3b. The 保密审查员 finds it on the 工作台 and approves it in the editor.
        page = _login(context, base, "portal_secrecy")
        row = page.locator("tr", has_text=TITLE).first
        assert "保密审查（示范自治区人民政府网）" in row.inner_text()
        row.get_by_role("link", name="审核", exact=True).click()
        page.wait_for_load_state("networkidle")
        page.click("footer .w-dropdown__toggle")
        page.locator("footer").get_by_role("button", name="通过", exact=True).click()
        page.wait_for_load_state("networkidle")

        # 4. It is live on the public site.
        article.refresh_from_db()
        assert article.live
        public = context.new_page()
        public.goto(base + article.get_url_parts()[2])
        assert TITLE in public.inner_text("main")
        public.goto(base + column.get_url_parts()[2])
        assert TITLE in public.inner_text("main")
        page = _login(context, base, "portal_reviewer")
        assert "没有等待你审核的信息" in page.inner_text("main")

        # 5. The site admin sees the site on the 工作台 and adds an editor through 本站人员.
        page = _login(context, base, "portal_admin")
        home = page.inner_text("main")
        assert "示范自治区人民政府网" in home and "通知公告" in home and TITLE in home  # columns, recent publications
        page.get_by_role("link", name="管理本站人员").click()
        page.fill("#id_full_name", "欧阳明远")
        page.fill("#id_username", "portal_editor2")
        page.select_option("#id_role", Role.EDITOR)
        page.fill("#id_password", "Qingxi-2026!")
        page.get_by_role("button", name="添加", exact=True).click()
        page.wait_for_load_state("networkidle")
        assert "已添加编辑“欧阳明远”" in _messages(page)
        row = page.locator("tr", has_text="portal_editor2")
        assert "欧阳明远" in row.inner_text() and "编辑" in row.inner_text()
        new_user = get_user_model().objects.get(username="portal_editor2")
        assert list(RoleAssignment.objects.filter(user=new_user).values_list("role", "website")) == [
            (Role.EDITOR, portal.pk)]
        page = _login(context, base, "portal_editor2", "Qingxi-2026!")
        assert "我的信息" in page.inner_text("main")

        # 6. The supervisor's 工作台 shows monitoring results.
        run = ScanRun.objects.filter(status=RunStatus.DONE).select_related("website").first()
        if run is None:  # the demo of this branch does not scan; one finished run stands for the monitor's
            website = Website.objects.get(name="白桦地区行政公署网")
            run = ScanRun.objects.create(
                website=website, as_of=timezone.localdate(), status=RunStatus.DONE, finished_at=timezone.now(),
                pages_fetched=40, verdict=Verdict.WOULD_FAIL, veto_items=["栏目不更新"], veto_count=4,
                deduction_count=5)
        page = _login(context, base, "supervisor")
        summary = page.inner_text("main")
        assert "网站监测概况" in summary
        assert re.search(r"已监测 [1-9]\d* 个", summary), summary
        if run.verdict == Verdict.WOULD_FAIL:
            assert "可能不合格的网站" in summary and run.website.name in summary
        context.close()
