"""先审后发 with 保密审查 (issue 12): 保密审查 is the last step of every hosted site's workflow, taken only by the
site's 保密审查员, recorded with name and time, never skipped; a site has two to four human levels, each
approved by a different person; approved revisions scheduled for later go live through the worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from govsite.checks.approval import SAME_PERSON_MESSAGE, ReviewLevelTask, SecrecyReviewTask
from govsite.checks.review import do_set_review_levels, ensure_site_workflow, review_levels
from govsite.checks.tasks import publish_scheduled_task
from govsite.checks.tests.test_review import CLEAN_BODY, approve_current_step, current_step, draft, is_live
from govsite.checks.workflow import ComplianceCheckTask
from govsite.content.models import ArticlePage
from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, Role
from govsite.testing import give_role, make_user, with_site_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(mini_region):  # noqa: ANN001, ANN201
    region = with_site_staff(mini_region)
    region.site_admin = make_user("admin_a")
    give_role(region.site_admin, Role.SITE_ADMIN, website=region.site_a)
    region.secrecy_b = make_user("secrecy_b")
    give_role(region.secrecy_b, Role.SECRECY_REVIEWER, website=region.site_b)
    return region


def submit(site, title: str = "关于某事项的通知"):  # noqa: ANN001, ANN201
    article = draft(site.column, CLEAN_BODY, owner=site.editor, title=title)
    state = article.get_workflow().start(article, site.editor)
    return article, state


def action_names(article: ArticlePage, user) -> list[str]:  # noqa: ANN001
    page = ArticlePage.objects.get(pk=article.pk)
    return [name for name, _label, _modal in current_step(article).get_actions(page, user)]


def test_review_approval_waits_for_the_secrecy_reviewer(site) -> None:
    article, _state = submit(site)
    approve_current_step(article, site.reviewer)
    assert not is_live(article)
    assert isinstance(current_step(article), SecrecyReviewTask)
    approve_current_step(article, site.secrecy, comment="不涉及国家秘密")
    assert is_live(article)


@pytest.mark.parametrize("who", ["reviewer", "editor", "site_admin", "secrecy_b", "superuser"])
def test_only_the_sites_secrecy_reviewers_take_the_secrecy_step(site, who: str) -> None:
    user = make_user("root", is_superuser=True, is_staff=True) if who == "superuser" else getattr(site, who)
    article, _state = submit(site)
    approve_current_step(article, site.reviewer)
    assert action_names(article, user) == []
    with pytest.raises(PermissionDenied):
        approve_current_step(article, user)
    assert not is_live(article)
    assert "approve" in action_names(article, site.secrecy)


def test_one_person_cannot_approve_two_levels_of_the_same_submission(site) -> None:
    both = make_user("both_roles")
    give_role(both, Role.REVIEWER, website=site.site_a)
    give_role(both, Role.SECRECY_REVIEWER, website=site.site_a)
    article, _state = submit(site)
    approve_current_step(article, both)
    assert "approve" not in action_names(article, both)
    assert "reject" in action_names(article, both)  # they may still send it back
    with pytest.raises(PermissionDenied, match=SAME_PERSON_MESSAGE[:10]):
        approve_current_step(article, both)
    assert not is_live(article)
    approve_current_step(article, site.secrecy)
    assert is_live(article)


def test_the_secrecy_decision_is_recorded_with_name_and_time(site) -> None:
    article, state = submit(site)
    approve_current_step(article, site.reviewer)
    before = timezone.now()
    approve_current_step(article, site.secrecy, comment="经审查不涉密")
    decision = TaskState.objects.get(workflow_state=state, task__in=SecrecyReviewTask.objects.all())
    assert decision.status == TaskState.STATUS_APPROVED and decision.finished_by == site.secrecy
    assert decision.finished_at >= before
    entry = AuditLog.objects.get(event="content.secrecy_decision")
    assert entry.username == "secrecy_a" and entry.object_id == str(article.pk)
    assert entry.detail["decision"] == "approve" and entry.detail["comment"] == "经审查不涉密"
    assert AuditLog.objects.filter(event="content.review_decision", username="reviewer_a").exists()


def test_a_rejected_secrecy_review_goes_back_to_the_editor(site) -> None:
    article, state = submit(site)
    approve_current_step(article, site.reviewer)
    task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, site.secrecy, "reject", comment="第二段涉及工作秘密")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES and not is_live(article)
    assert AuditLog.objects.get(event="content.secrecy_decision").detail["decision"] == "reject"


def test_a_workflow_without_secrecy_review_publishes_nothing(site) -> None:
    # Someone with access to the workflow settings puts a two-step workflow on the column: the last
    # approval is refused and rolled back; the page stays a draft in review.
    approval = GroupApprovalTask.objects.create(name="绕过保密审查")
    approval.groups.add(site.reviewer.groups.first())
    shortcut = Workflow.objects.create(name="简易流程")
    WorkflowTask.objects.create(workflow=shortcut, task=approval, sort_order=0)
    WorkflowPage.objects.create(page=site.column, workflow=shortcut)
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    state = article.get_workflow().start(article, site.editor)
    task_state = state.current_task_state
    with pytest.raises(ValidationError, match="保密审查"):
        task_state.task.specific.on_action(task_state, site.reviewer, "approve")
    assert not is_live(article)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_an_approval_older_than_the_last_edit_does_not_count(site) -> None:
    from govsite.checks.finish import secrecy_approved

    article, state = submit(site)
    approve_current_step(article, site.reviewer)
    approve_current_step(article, site.secrecy)
    state.refresh_from_db()
    assert secrecy_approved(state)
    page = ArticlePage.objects.get(pk=article.pk)
    page.title = "改过的标题"
    page.save_revision(user=site.editor)  # an edit after the decision
    assert not secrecy_approved(state)


# --- levels --------------------------------------------------------------------------------------------------

def steps_of(site) -> list[tuple[type, str]]:  # noqa: ANN001
    workflow = site.site_a.wagtail_site.root_page.get_workflow()
    tasks = [t.specific for t in workflow.tasks.order_by("workflow_tasks__sort_order")]
    return [(type(t), t.name.split("（")[0]) for t in tasks]


def test_the_default_is_two_levels_ending_in_secrecy_review(site) -> None:
    assert review_levels(site.site_a) == 2
    assert steps_of(site) == [(ComplianceCheckTask, "自动内容检查"), (ReviewLevelTask, "审核"),
                              (SecrecyReviewTask, "保密审查")]


def test_four_levels_each_by_a_different_person(site) -> None:
    do_set_review_levels(site.site_a, 4, by=site.site_admin)
    assert [name for _type, name in steps_of(site)] == ["自动内容检查", "初审", "复审", "终审", "保密审查"]
    second, third = make_user("reviewer_a2"), make_user("reviewer_a3")
    for user in (second, third):
        give_role(user, Role.REVIEWER, website=site.site_a)
    article, _state = submit(site)
    approve_current_step(article, site.reviewer)
    with pytest.raises(PermissionDenied):
        approve_current_step(article, site.reviewer)  # 复审 by the same person
    approve_current_step(article, second)
    approve_current_step(article, third)
    assert not is_live(article)
    approve_current_step(article, site.secrecy)
    assert is_live(article)
    entry = AuditLog.objects.get(event="content.review_levels")
    assert entry.username == "admin_a" and entry.detail["before"] == 2 and entry.detail["after"] == 4


def test_changing_levels_cancels_running_submissions_and_says_so(site) -> None:
    article, state = submit(site)
    do_set_review_levels(site.site_a, 3, by=site.site_admin)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_CANCELLED
    assert AuditLog.objects.get(event="content.review_levels").detail["cancelled_submissions"] == [state.pk]
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.get_workflow().start(article, site.editor).status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.parametrize("levels", [0, 1, 5])
def test_levels_outside_two_to_four_are_refused(site, levels: int) -> None:
    with pytest.raises(ValidationError, match="2 至 4 级"):
        do_set_review_levels(site.site_a, levels, by=site.site_admin)
    assert review_levels(site.site_a) == 2


@pytest.mark.parametrize("who", ["editor", "reviewer", "secrecy", "secrecy_b", "supervisor"])
def test_only_the_site_admin_or_platform_sets_levels(site, who: str) -> None:
    if who == "supervisor":
        user = make_user("supervisor_a")
        give_role(user, Role.SUPERVISOR, unit=site.gov_a)
    else:
        user = getattr(site, who)
    with pytest.raises(PermissionDenied):
        do_set_review_levels(site.site_a, 3, by=user)
    with pytest.raises(ValueError):
        do_set_review_levels(site.site_a, 3, by=None)
    do_set_review_levels(site.site_a, 3, by=SYSTEM)
    assert review_levels(site.site_a) == 3


def test_an_old_two_step_workflow_is_replaced_by_one_with_secrecy_review(site) -> None:
    home = site.site_a.wagtail_site.root_page
    WorkflowPage.objects.filter(page=home).delete()
    old = Workflow.objects.create(name="信息发布审核")
    approval = GroupApprovalTask.objects.create(name="审核（旧）")
    approval.groups.add(site.reviewer.groups.first())
    WorkflowTask.objects.create(workflow=old, task=Task.objects.get(pk=ComplianceCheckTask.objects.get().pk),
                                sort_order=0)
    WorkflowTask.objects.create(workflow=old, task=approval, sort_order=1)
    WorkflowPage.objects.create(page=home, workflow=old)
    ensure_site_workflow(site.site_a)
    assert home.get_workflow() != old and review_levels(site.site_a) == 2


# --- scheduled publishing through the worker -----------------------------------------------------------------

def test_the_worker_publishes_approved_revisions_every_minute(site) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["content-publish-scheduled"]
    assert entry["task"] == publish_scheduled_task.name and entry["schedule"] == 60
    article = draft(site.column, CLEAN_BODY, owner=site.editor)
    article.go_live_at = timezone.now() + timedelta(minutes=5)
    article.save_revision(user=site.editor)
    article.get_workflow().start(article, site.editor)
    approve_current_step(article, site.reviewer)
    approve_current_step(article, site.secrecy)
    revision = ArticlePage.objects.get(pk=article.pk).get_latest_revision()
    assert revision.approved_go_live_at is not None and not is_live(article)
    publish_scheduled_task.apply()
    assert not is_live(article)  # not yet its minute
    due = timezone.now() - timedelta(seconds=30)
    revision.content["go_live_at"] = due.isoformat()
    revision.approved_go_live_at = due
    revision.save(update_fields=["content", "approved_go_live_at"])
    publish_scheduled_task.apply()
    assert is_live(article)


# --- the models' publication rules, on the workflow's paths (issue 12) ----------------------------------------

def test_a_normative_document_without_interpretation_is_refused_on_every_path(site) -> None:
    from govsite.checks.page_guard import PublicationBlocked
    from govsite.content.models import InterpretationPage, PolicyDocumentPage

    policy = site.column.add_child(instance=PolicyDocumentPage(
        title="关于印发某办法的通知", slug="policy-1", body=CLEAN_BODY, is_normative=True, live=False))
    policy.save_revision(user=site.editor)
    with pytest.raises(PublicationBlocked, match="规范性文件须同步发布政策解读"):
        policy.get_latest_revision().publish()  # a script, a bulk action: refused in the save guard
    state = policy.get_workflow().start(policy, site.editor)
    approve_current_step(policy, site.reviewer)
    with pytest.raises(ValidationError, match="规范性文件须同步发布政策解读"):
        approve_current_step(policy, site.secrecy)
    assert not is_live(policy)
    # Its interpretation goes through the workflow first; then the document does.
    reading = site.column.add_child(instance=InterpretationPage(
        title="《某办法》政策解读", slug="reading-1", body=CLEAN_BODY, policy=policy, live=False))
    reading.save_revision(user=site.editor)
    reading.get_workflow().start(reading, site.editor)
    approve_current_step(reading, site.reviewer)
    approve_current_step(reading, site.secrecy)
    assert is_live(reading)
    approve_current_step(policy, site.secrecy)
    state.refresh_from_db()
    assert is_live(policy) and state.status == WorkflowState.STATUS_APPROVED


def test_an_empty_column_is_refused_at_submission_and_at_the_end_of_review(site) -> None:
    from django.urls import reverse

    from govsite.content.models import ColumnPage
    from govsite.testing import client_for

    column = site.column.get_parent().add_child(instance=ColumnPage(title="空栏目", slug="empty", live=False))
    column.save_revision(user=site.site_admin)
    client = client_for(site.site_admin)
    data = {"title": "空栏目", "slug": "empty", "update_class": column.update_class, "description": "",
            "keywords": "", "show_on_homepage": "on", "action-submit": "1", "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000"}
    response = client.post(reverse("wagtailadmin_pages:edit", args=[column.pk]), data, follow=True)
    assert "不能发布空栏目" in response.content.decode()
    assert ColumnPage.objects.get(pk=column.pk).current_workflow_state is None
    # Started anyway (from code): the end of the workflow refuses it.
    column = ColumnPage.objects.get(pk=column.pk)
    column.get_workflow().start(column, site.site_admin)
    approve_current_step_of(column, site.reviewer)
    with pytest.raises(ValidationError, match="不能发布空栏目"):
        approve_current_step_of(column, site.secrecy)
    assert not is_live(column)


def approve_current_step_of(page, user) -> None:  # noqa: ANN001
    from wagtail.models import Page

    task_state = Page.objects.get(pk=page.pk).current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, user, "approve")
