"""编辑冲突 in a real browser: two editors in two Chromium contexts open the same page; the second save is
refused with a message naming the first, and the second editor's title is still in the form."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from govsite.content.models import ArticlePage
from govsite.content.tests.test_accessibility import DESKTOP, chromium
from govsite.core.models import Role
from govsite.testing import browser_login, build_mini_region, give_role, make_user, with_site_staff

pytestmark = pytest.mark.browser
PASSWORD = "Test-pass-2026!"


def login(browser, base: str, username: str):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    browser_login(page, base, username, PASSWORD)  # password, then the second step
    return page


def save_draft(page, title: str) -> str:  # noqa: ANN001
    page.fill("#id_title", title)
    with page.expect_navigation():
        page.locator("footer button[type=submit]").first.click()  # the footer's main action: 保存草稿
    page.wait_for_load_state("networkidle")
    return page.locator(".messages").inner_text() if page.locator(".messages").count() else ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_editor_in_another_browser_is_told_and_keeps_the_text(live_server, settings) -> None:
    # Autosave off: the live server's threads share the in-memory SQLite database (see test_roles_browser).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    region = with_site_staff(build_mini_region())
    region.editor.first_name, region.editor.last_name = "砚秋", "岑"
    region.editor.save()
    give_role(make_user("editor_a2"), Role.EDITOR, website=region.site_a)
    article = region.column.add_child(instance=ArticlePage(title="关于开展安全检查的通知", slug="notice-1",
                                                           body="<p>原文。</p>", live=False))
    article.save_revision(user=region.editor)
    edit = f"{live_server.url}/admin/pages/{article.pk}/edit/"

    with chromium() as browser:
        first, second = login(browser, live_server.url, "editor_a"), login(browser, live_server.url, "editor_a2")
        for page in (first, second):
            page.goto(edit)
            page.wait_for_load_state("networkidle")
        assert "已被更新" in save_draft(first, "通知（第一位编辑修改）")
        # Wagtail's editing session asks first ("岑砚秋保存了新版本"); the editor goes on (保存草稿 in its
        # dialog), and the server refuses all the same.
        second.fill("#id_title", "通知（第二位编辑修改）")
        # Wagtail's editing session may ask first ("岑砚秋保存了新版本", when its ping has seen the new
        # revision); the editor goes on (保存草稿 in its dialog), and the server refuses all the same.
        with second.expect_navigation(timeout=60_000):
            second.locator("footer button[type=submit]").first.click()
            go_on = second.get_by_role("dialog").get_by_role("button", name="保存草稿")
            try:
                go_on.wait_for(state="visible", timeout=5_000)
            except PlaywrightTimeout:
                pass  # no dialog: the form went to the server at once
            else:
                assert "岑砚秋保存了新版本" in second.get_by_role("dialog").inner_text()
                go_on.click()
        second.wait_for_load_state("networkidle")
        shown = second.locator(".messages").inner_text()
        assert "保存了新的版本" in shown and "岑砚秋" in shown, shown
        assert second.input_value("#id_title") == "通知（第二位编辑修改）"

    latest = ArticlePage.objects.get(pk=article.pk).latest_revision
    assert latest.as_object().title == "通知（第一位编辑修改）" and latest.user == region.editor
    assert timezone.localtime(latest.created_at).strftime("%H:%M") in shown
