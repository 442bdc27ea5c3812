"""先审后发 in a real browser (issue 12): an editor drafts a 规范性文件 and its 政策解读, the automatic check
runs, the reviewer and then the 保密审查员 approve each, and the public finds the document through the
search box of the site's header."""

from __future__ import annotations

import re

import pytest

from govsite.content.models import ColumnPage, InterpretationPage, PolicyDocumentPage
from govsite.content.tests.builders import add_article, add_column
from govsite.content.tests.test_accessibility import DESKTOP, chromium
from govsite.core.models import AuditLog, Role
from govsite.testing import browser_login, build_mini_region, give_role, make_user

pytestmark = pytest.mark.browser
PASSWORD = "Test-pass-2026!"
POLICY_TITLE = "示范自治区政府网站集约化管理办法"
READING_TITLE = "《示范自治区政府网站集约化管理办法》政策解读"


def login(browser, base: str, username: str):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    browser_login(page, base, username, PASSWORD)
    return context, page


def add_paragraph(page, text: str) -> None:  # noqa: ANN001
    """Insert a 文字 (paragraph) block in the empty 正文 and type into its editor, as an editor does."""
    page.locator("[data-contentpath=body] button.c-sf-add-button, #panel-child-content-body-content "
                 "button.c-sf-add-button").first.click()
    page.locator("[role=option], .w-combobox__option").filter(has_text=re.compile(r"^\s*文字")).first.click()
    editor = page.locator("[data-contentpath=body] [contenteditable=true]").first
    editor.wait_for(state="visible")
    editor.click()
    editor.press_sequentially(text, delay=5)
    page.wait_for_timeout(300)  # Draftail writes its hidden input on change


def footer_action(page, label: str) -> None:  # noqa: ANN001
    """A footer action by its label; the secondary ones are behind the footer's menu toggle."""
    button = page.locator("footer").get_by_role("button", name=re.compile(label))
    if not button.first.is_visible():
        page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    with page.expect_navigation():
        button.first.click()
    page.wait_for_load_state("networkidle")


def open_admin(page, url: str) -> str:  # noqa: ANN001
    """Open an admin page and return its main text. The live server's threads share one in-memory SQLite
    database, which answers two overlapping session writes (the page and its icon sprite) with "table is
    locked" — a test-database artefact a real server does not have — so a page that failed that way is
    loaded again."""
    for _attempt in range(3):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if "服务暂时不可用" not in page.content():
            break
    return page.locator("main.content-wrapper").inner_text()


def approve_on_edit_page(page, base: str, pk: int) -> None:  # noqa: ANN001
    open_admin(page, f"{base}/admin/pages/{pk}/edit/")
    footer_action(page, "通过")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_reviewer_and_secrecy_reviewer_publish_a_policy_found_by_search(live_server, settings) -> None:
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # the live server's threads share the in-memory SQLite database
    region = build_mini_region(hosted=True)
    portal = region.portal
    home = portal.wagtail_site.root_page.specific
    column = add_column(home, "政策文件", slug="zcwj")
    add_article(column, "关于开展网站普查的通知", body="<p>各单位按要求开展普查。</p>")
    users = {}
    for username, role in (("editor_p", Role.EDITOR), ("reviewer_p", Role.REVIEWER),
                           ("secrecy_p", Role.SECRECY_REVIEWER)):
        users[username] = make_user(username, password=PASSWORD)
        give_role(users[username], role, website=portal)
    base = live_server.url

    with chromium() as browser:
        # The editor drafts the document (规范性文件) and its interpretation.
        context, page = login(browser, base, "editor_p")
        page.goto(f"{base}/admin/pages/add/content/policydocumentpage/{column.pk}/")
        page.fill("#id_title", POLICY_TITLE)
        page.fill("#id_doc_number", "示政发〔2026〕8号")
        page.check("#id_is_normative")
        add_paragraph(page, "为推进政府网站集约化建设，统一信息资源库，制定本办法。")
        footer_action(page, "保存草稿")
        policy = PolicyDocumentPage.objects.get(title=POLICY_TITLE)
        # Submitted without a live interpretation: refused, kept as a draft.
        open_admin(page, f"{base}/admin/pages/{policy.pk}/edit/")
        footer_action(page, "提交")
        assert "规范性文件须同步发布政策解读" in page.locator(".messages").inner_text()

        page.goto(f"{base}/admin/pages/add/content/interpretationpage/{column.pk}/")
        page.fill("#id_title", READING_TITLE)
        page.locator("#id_policy-chooser button:visible").first.click()
        page.get_by_role("link", name=POLICY_TITLE).first.click()
        page.wait_for_selector("#id_policy-chooser .chooser__title, [data-chooser-title]", state="attached")
        add_paragraph(page, "《办法》明确了集约化平台的建设要求和各单位职责。")
        footer_action(page, "提交")
        reading = InterpretationPage.objects.get(title=READING_TITLE)
        assert reading.policy_id == policy.pk
        context.close()

        # The reviewer approves; the page waits for 保密审查.
        context, page = login(browser, base, "reviewer_p")
        assert READING_TITLE in open_admin(page, base + "/admin/")  # 待我审核 on the 工作台
        approve_on_edit_page(page, base, reading.pk)
        context.close()
        assert not InterpretationPage.objects.get(pk=reading.pk).live

        # The 保密审查员 approves: the interpretation goes live.
        context, page = login(browser, base, "secrecy_p")
        assert READING_TITLE in open_admin(page, base + "/admin/")
        approve_on_edit_page(page, base, reading.pk)
        context.close()
        assert InterpretationPage.objects.get(pk=reading.pk).live

        # Now the document itself, the same way.
        context, page = login(browser, base, "editor_p")
        open_admin(page, f"{base}/admin/pages/{policy.pk}/edit/")
        footer_action(page, "提交")
        context.close()
        for username in ("reviewer_p", "secrecy_p"):
            context, page = login(browser, base, username)
            approve_on_edit_page(page, base, policy.pk)
            context.close()
        policy = PolicyDocumentPage.objects.get(pk=policy.pk)
        assert policy.live and policy.index_number

        # The public finds it through the header's search box, with its interpretation linked.
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = context.new_page()
        page.goto(base + "/")
        page.get_by_label("检索词").first.fill("集约")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        page.get_by_role("link", name=POLICY_TITLE, exact=True).first.click()
        page.wait_for_load_state("networkidle")
        body = page.locator("main#main").inner_text()
        assert "示政发〔2026〕8号" in body and policy.index_number in body and READING_TITLE in body
        context.close()

    assert AuditLog.objects.filter(event="content.secrecy_decision", username="secrecy_p").count() == 2
    assert ColumnPage.objects.get(pk=column.pk).live
