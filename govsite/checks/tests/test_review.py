"""发布审核 (issue 9): every hosted site has the workflow 自动内容检查 → 审核 of its own reviewers; approving
publishes; a page with blocking findings is stopped at 提交审核; nobody publishes around the workflow."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.models import GroupApprovalTask, Page, TaskState, Workflow, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from govsite.checks.models import PageCheckRun
from govsite.checks.review import ensure_site_workflow
from govsite.checks.workflow import ComplianceCheckTask
from govsite.content.blocks import body_text
from govsite.content.models import ArticlePage
from govsite.content.services import do_provision_hosted_site
from govsite.content.tests.builders import body_stream
from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, HostedSiteGroup, Role
from govsite.testing import client_for, give_role, make_user, with_site_staff

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
BLOCKED_BODY = f"<p>第一段，无问题。</p><p>申请人身份证号 {ID_NUMBER}。</p>"
CLEAN_BODY = "<p>自治区召开常务会议，研究部署优化营商环境工作。</p>"


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    region = with_site_staff(mini_region)
    region.site_admin = make_user("admin_a")
    give_role(region.site_admin, Role.SITE_ADMIN, website=region.site_a)
    region.supervisor = make_user("supervisor_a")
    give_role(region.supervisor, Role.SUPERVISOR, unit=region.gov_a)
    region.reviewer_b = make_user("reviewer_b")
    give_role(region.reviewer_b, Role.REVIEWER, website=region.site_b)
    return region


_slugs = iter(range(1, 10_000))


def draft(column: Page, body: str, *, owner=None, title: str = "关于某事项的公示") -> ArticlePage:  # noqa: ANN001
    article = column.add_child(instance=ArticlePage(title=title, slug=f"a-{next(_slugs)}", body=body, live=False,
                                                    owner=owner))
    article.save_revision(user=owner)
    return ArticlePage.objects.get(pk=article.pk)



def is_live(page: Page) -> bool:
    return Page.objects.get(pk=page.pk).live


def edit_post(article: ArticlePage, body: str, **actions: str) -> dict:
    return nested_form_data({
        "title": article.title, "slug": article.slug,
        "published_at": timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M"), "source": "",
        "summary": "", "body": body_stream(body), "comments": inline_formset([]), **actions,
    })


def submitted(site, body: str = CLEAN_BODY) -> tuple[ArticlePage, WorkflowState]:  # noqa: ANN001
    article = draft(site.column, body, owner=site.editor)
    state = article.get_workflow().start(article, site.editor)
    state.refresh_from_db()
    return article, state


# --- the default workflow -----------------------------------------------------------------------------------

def test_every_hosted_site_has_the_workflow_check_then_its_own_reviewers(site) -> None:
    for website in (site.portal, site.site_a, site.site_b, site.site_a1):
        home = website.wagtail_site.root_page
        workflow = home.get_workflow()
        assert workflow.name == "信息发布审核"
        tasks = [t.specific for t in workflow.tasks.order_by("workflow_tasks__sort_order")]
        assert [type(t) for t in tasks] == [ComplianceCheckTask, GroupApprovalTask]
        assert tasks[0].name == "自动内容检查" and tasks[1].name == f"审核（{website.name}）"
        reviewers = HostedSiteGroup.objects.get(website=website, role=Role.REVIEWER).group
        assert list(tasks[1].groups.all()) == [reviewers]
    assert site.column.get_workflow().name == "信息发布审核"
    # Not Wagtail's default workflow, which stays on the root page only.
    assert site.column.get_workflow() != Page.get_first_root_node().get_workflow()


def test_provisioning_again_keeps_one_workflow_and_repairs_nothing_twice(site) -> None:
    before = (Workflow.objects.count(), GroupApprovalTask.objects.count(), ComplianceCheckTask.objects.count())
    do_provision_hosted_site(site.site_a, by=SYSTEM)
    ensure_site_workflow(site.site_a)
    assert (Workflow.objects.count(), GroupApprovalTask.objects.count(),
            ComplianceCheckTask.objects.count()) == before
    assert ComplianceCheckTask.objects.count() == 1  # one shared check step
    assert WorkflowPage.objects.filter(page=site.site_a.wagtail_site.root_page).count() == 1


def test_a_site_without_its_workflow_gets_it_back_on_provisioning(site) -> None:
    WorkflowPage.objects.filter(page=site.site_a.wagtail_site.root_page).delete()
    do_provision_hosted_site(site.site_a, by=SYSTEM)
    assert site.column.get_workflow().name == "信息发布审核"
    approval = [t.specific for t in site.column.get_workflow().tasks.all()][1]
    assert approval.groups.filter(user=site.reviewer).exists()


def test_only_that_sites_reviewers_see_and_may_approve(site) -> None:
    article, state = submitted(site)
    task_state = state.current_task_state
    assert task_state.task.specific.name == "审核（甲市人民政府网）"
    actions = task_state.task.specific.get_actions(article, site.reviewer)
    assert "approve" in [name for name, _label, _modal in actions]
    for outsider in (site.reviewer_b, site.editor, site.supervisor):
        assert task_state.task.specific.get_actions(article, outsider) == []
    home = client_for(site.reviewer).get(reverse("wagtailadmin_home")).content.decode()
    assert article.title in home and "待我审核" in home
    home_b = client_for(site.reviewer_b).get(reverse("wagtailadmin_home")).content.decode()
    assert article.title not in home_b


# --- approving publishes ------------------------------------------------------------------------------------

def test_approving_in_the_editor_publishes_the_page(site) -> None:
    article, state = submitted(site)
    data = edit_post(article, CLEAN_BODY, **{"action-workflow-action": "true", "workflow-action-name": "approve"})
    response = client_for(site.reviewer).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert is_live(article)



def test_an_untouched_editor_form_saves_no_new_revision_on_approval(site) -> None:
    # The cause of the loop: 发布时间 (a callable default) always counted as changed, so every 批准 saved a
    # revision and, with re-approval on edit, the approval no longer counted.
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    client = client_for(site.editor)
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), edit_post(article, CLEAN_BODY))
    article = ArticlePage.objects.get(pk=article.pk)
    state = article.get_workflow().start(article, site.editor)
    revisions = article.revisions.count()
    data = edit_post(article, article.get_latest_revision().as_object().body,
                     **{"action-workflow-action": "true", "workflow-action-name": "approve"})
    client_for(site.reviewer).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert article.revisions.count() == revisions
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED and is_live(article)
    assert TaskState.objects.filter(workflow_state=state, task__in=GroupApprovalTask.objects.all()).count() == 1


def test_a_reviewer_who_edits_and_approves_publishes_the_edit_after_the_check(site) -> None:
    article, state = submitted(site)
    data = edit_post(article, "<p>审核人员改正了一个错字。</p>",
                     **{"action-workflow-action": "true", "workflow-action-name": "approve"})
    client_for(site.reviewer).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and "改正了一个错字" in body_text(article.body)
    assert PageCheckRun.objects.filter(page=article, revision=article.live_revision).exists()


def test_a_reviewers_edit_that_blocks_is_not_published(site) -> None:
    article, state = submitted(site)
    data = edit_post(article, BLOCKED_BODY, **{"action-workflow-action": "true", "workflow-action-name": "approve"})
    client_for(site.reviewer).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert not is_live(article)
    state = ArticlePage.objects.get(pk=article.pk).current_workflow_state
    assert isinstance(state.current_task_state.task.specific, ComplianceCheckTask)


def test_approving_from_the_dashboard_publishes_the_page(site) -> None:
    article, state = submitted(site)
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", state.current_task_state.pk])
    response = client_for(site.reviewer).post(url, {"comment": "同意发布"},
                                                 headers={"x-requested-with": "XMLHttpRequest"})
    assert json.loads(response.content)["step"] == "success"
    assert is_live(article)


def test_a_blocked_approval_from_the_dashboard_modal_leads_to_the_reason(site) -> None:
    from govsite.checks import wordlists
    from govsite.checks.models import EntryKind

    article, state = submitted(site, "<p>这里写了后来才禁用的词。</p>")
    # The region's word list changes after submission: the save guard refuses the approved publication.
    wordlists.do_add_entry(site.prefecture_a, EntryKind.SENSITIVE_WORD, "后来才禁用的词", by=SYSTEM)
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", state.current_task_state.pk])
    client = client_for(site.reviewer)
    response = client.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    answer = json.loads(response.content)
    assert answer["step"] == "success"  # the modal closes and follows the redirect, instead of hanging
    assert answer["redirect"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert not is_live(article)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS  # still waiting for 审核
    page = client.get(answer["redirect"]).content.decode()
    assert "不能发布" in page and "后来才禁用的词" in page


# --- stopped at submission ----------------------------------------------------------------------------------

def test_submission_with_blocking_findings_is_refused_with_what_where_and_why(site) -> None:
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    data = edit_post(article, BLOCKED_BODY, **{"action-submit": "提交审核"})
    editor = client_for(site.editor)
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[article.pk])
    messages = [str(m) for m in response.wsgi_request._messages]
    refusal = next(m for m in messages if "未提交审核" in m)
    assert "正文 第 2 段" in refusal and "居民身份证号" in refusal and "110105********002X" in refusal
    assert ID_NUMBER not in refusal
    shown = editor.get(response.url).content.decode()
    assert "未提交审核" in shown and "已经提交" not in shown and "submitted" not in shown
    article.refresh_from_db()
    assert article.current_workflow_state is None and not article.live
    assert ID_NUMBER in body_text(article.get_latest_revision().as_object().body)  # the draft is kept
    assert AuditLog.objects.filter(event="checks.publish_refused", detail__path="submit").exists()
    assert client_for(site.reviewer).get(reverse("wagtailadmin_home")).content.decode().count(article.title) == 0


def test_submission_of_a_new_page_with_blocking_findings_is_refused(site) -> None:
    data = nested_form_data({
        "title": "新建即提交", "slug": "new-submit", "published_at": "2026-01-05 09:30", "source": "",
        "summary": "", "body": body_stream(BLOCKED_BODY), "comments": inline_formset([]), "action-submit": "提交审核",
    })
    url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", site.column.pk))
    response = client_for(site.editor).post(url, data)
    article = ArticlePage.objects.get(slug="new-submit")
    assert response.url == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert article.current_workflow_state is None
    assert any("未提交审核" in str(m) for m in response.wsgi_request._messages)


def test_clean_submission_goes_to_the_sites_reviewers(site) -> None:
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    data = edit_post(article, CLEAN_BODY, **{"action-submit": "提交审核"})
    client_for(site.editor).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    article.refresh_from_db()
    state = article.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert isinstance(state.current_task_state.task.specific, GroupApprovalTask)
    assert PageCheckRun.objects.filter(page=article, has_block=False).exists()


# --- nobody publishes around the workflow -------------------------------------------------------------------

@pytest.mark.parametrize("role", ["editor", "reviewer", "site_admin"])
def test_no_site_role_may_publish_directly(site, role: str) -> None:
    user = getattr(site, role)
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    perms = article.permissions_for_user(user)
    assert not perms.can_publish() and not perms.can_publish_subpage()
    with pytest.raises(PublishPagePermissionError):
        article.get_latest_revision().publish(user=user)
    data = edit_post(article, CLEAN_BODY, **{"action-publish": "发布"})
    client_for(user).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert not is_live(article)
    edit_page = client_for(user).get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'name="action-publish"' not in edit_page


def test_a_supervisor_and_a_platform_admin_may_not_publish_directly_either(site) -> None:
    platform_admin = make_user("root", is_superuser=True, is_staff=True)
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    for user in (site.supervisor, platform_admin):
        assert not article.permissions_for_user(user).can_publish()
        data = edit_post(article, CLEAN_BODY, **{"action-publish": "发布"})
        client_for(user).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
        assert not is_live(article)


def test_reviewers_keep_what_the_permission_to_publish_is_also_for(site) -> None:
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    article.get_latest_revision().publish()  # published by the workflow earlier
    article = ArticlePage.objects.get(pk=article.pk)
    perms = article.permissions_for_user(site.reviewer)
    assert perms.can_unpublish() and perms.can_set_view_restrictions()
    assert not article.permissions_for_user(site.editor).can_unpublish()


def test_scheduling_in_the_editor_does_not_publish_around_the_workflow(site) -> None:
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    soon = timezone.localtime(timezone.now() - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    data = edit_post(article, CLEAN_BODY, **{"action-publish": "发布", "go_live_at": soon})
    client_for(site.site_admin).post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert not article.revisions.filter(approved_go_live_at__isnull=False).exists()
    call_command("publish_scheduled")
    assert not is_live(article)


def test_a_scheduled_page_goes_live_only_after_approval(site) -> None:
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    article.go_live_at = timezone.now() + timedelta(minutes=5)
    article.save_revision(user=site.editor)
    state = article.get_workflow().start(article, site.editor)
    call_command("publish_scheduled")
    assert not is_live(article)
    state.refresh_from_db()
    state.current_task_state.task.specific.on_action(state.current_task_state, site.reviewer, "approve")
    revision = ArticlePage.objects.get(pk=article.pk).get_latest_revision()
    assert revision.approved_go_live_at is not None  # approved, waiting for its time
    past = timezone.now() - timedelta(minutes=1)  # its time comes
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    assert is_live(article)


def test_bulk_publish_by_a_site_admin_is_refused(site) -> None:
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    bulk_url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client_for(site.site_admin).post(f"{bulk_url}?id={article.pk}", {})
    assert response.status_code == 302 and not is_live(article)


def test_the_api_has_no_way_to_publish(site) -> None:
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    client = client_for(site.site_admin)
    for method in ("post", "put", "patch"):
        response = getattr(client, method)(f"/api/v1/pages/{article.pk}/", data="{}",
                                           content_type="application/json")
        assert response.status_code in (404, 405)
    assert not is_live(article)


def test_a_returned_page_resubmitted_with_blocking_findings_is_refused_too(site) -> None:
    article, state = submitted(site)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, site.reviewer, "reject", comment="请补充")
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    data = edit_post(article, BLOCKED_BODY, **{"action-submit": "提交审核"})
    editor = client_for(site.editor)
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert "未提交审核" in editor.get(response.url).content.decode()
    assert not ArticlePage.objects.get(pk=article.pk).workflow_in_progress
    home = client_for(site.reviewer).get(reverse("wagtailadmin_home")).content.decode()
    assert "没有等待你审核的信息" in home


def test_the_reviewers_queue_offers_the_steps_actions_on_the_dashboard(site) -> None:
    article, state = submitted(site)
    home = client_for(site.reviewer).get(reverse("wagtailadmin_home")).content.decode()
    approve_url = reverse("wagtailadmin_pages:workflow_action",
                          args=[article.pk, "approve", state.current_task_state.pk])
    assert f'data-workflow-action-url="{approve_url}"' in home and "workflow-action.js" in home
