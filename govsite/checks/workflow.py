"""The workflow step "自动内容检查" (ComplianceCheckTask): a Wagtail Task that checks a page before publication.

When the step starts, every published text of the submitted revision and every document it links are
checked; the run is kept (`PageCheckRun`). Without unresolved blocking findings the step approves itself;
otherwise it stays in progress and the page's reviewers see the findings (内容检查 page, linked from the
page header and from the step's action dialogs). A reviewer overrides blocking findings one by one, each
with a written reason (`pagecheck.do_override_finding`); only then is 通过 offered. 退回修改 is always offered.
Warnings never stop the step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState

from .access import may_review
from .pagecheck import (
    check_page,
    do_check_latest_revision,
    latest_content,
    record_check_run,
    unresolved_blocks,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import QuerySet
    from wagtail.models import WorkflowState


def _can_review(page: Page, user: AbstractBaseUser) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return may_review(page, user)


def _can_edit(page: Page, user: AbstractBaseUser) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or page.permissions_for_user(user).can_edit()


def _may_pass(task: Task, task_state: TaskState, page: Page, user: AbstractBaseUser | None) -> bool:
    """Whether passing this step now is allowed to end the workflow.

    When it is the last step, Wagtail publishes with the identity of whoever triggered it (for an automatic
    pass: the editor who submitted). Someone without 发布 permission must not publish by passing an automatic
    check, so then the step waits for a reviewer's 通过 even when nothing was found.
    """
    workflow_state = task_state.workflow_state
    later = (
        Task.objects.filter(workflow_tasks__workflow=workflow_state.workflow, active=True)
        .exclude(pk=task.pk)
        .exclude(task_states__in=workflow_state.successful_task_states)
        .exists()
    )
    return later or user is None or _can_review(page, user)


def pending_blocks(page: Page) -> list:
    """Unresolved blocking findings of the page's newest revision (cached check, no run recorded)."""
    content, _revision = latest_content(page)
    return unresolved_blocks(page, check_page(content).findings)


class ComplianceCheckTask(Task):
    """自动内容检查: checks the submitted revision; approves itself when nothing blocks publication."""

    class Meta:
        app_label = "checks"
        verbose_name = _("自动内容检查")
        verbose_name_plural = _("自动内容检查")

    @classmethod
    def get_description(cls) -> str:
        return str(_("检查页面文字和附件中的个人信息、密级标志、敏感词、规范表述和错别字；没有“阻止发布”问题时自动通过，"
                     "否则由有发布权限的审核人员逐条处理（放行须填写理由）后通过。"))

    def start(self, workflow_state: WorkflowState, user: AbstractBaseUser | None = None) -> TaskState:
        task_state = super().start(workflow_state, user=user)
        revision = task_state.revision
        content = revision.as_object() if revision is not None else workflow_state.content_object.specific
        check = check_page(content)
        record_check_run(content, check, revision=revision, task_state=task_state, by=user)
        page = workflow_state.content_object
        if not unresolved_blocks(content, check.findings) and _may_pass(self, task_state, page, user):
            # The workflow moves on by itself when a started task is no longer in progress.
            task_state.approve(user=None, update=False, comment=str(_("自动内容检查通过。")))
        return task_state

    def user_can_access_editor(self, obj: Any, user: AbstractBaseUser) -> bool:
        return False

    def locked_for_user(self, obj: Any, user: AbstractBaseUser) -> bool:
        # Editors must be able to correct the page while it waits here.
        return False

    def get_actions(self, obj: Any, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
        page = obj if isinstance(obj, Page) else None
        if page is None:
            return []
        actions: list[tuple[str, str, bool]] = []
        if _can_edit(page, user):
            actions.append(("recheck", str(_("重新检查")), False))
        if _can_review(page, user):
            actions.append(("reject", str(_("退回修改")), True))
            if not pending_blocks(page):
                actions.append(("approve", str(_("通过")), False))
        return actions

    def get_template_for_action(self, action: str) -> str:
        return "checks/workflow_action_modal.html"

    @transaction.atomic
    def on_action(self, task_state: TaskState, user: AbstractBaseUser, action_name: str, **kwargs: Any) -> Any:
        page = task_state.workflow_state.content_object
        if action_name == "recheck":
            if not _can_edit(page, user):
                raise PermissionDenied
            check, _run = do_check_latest_revision(page, by=user, task_state=task_state)
            if not unresolved_blocks(page, check.findings) and _may_pass(self, task_state, page, user):
                task_state.approve(user=user, comment=str(_("重新检查后通过。")))
            return None
        if action_name == "approve":
            if not _can_review(page, user):
                raise PermissionDenied
            # The newest revision decides, not the one submitted: the page may have been edited meanwhile.
            check, _run = do_check_latest_revision(page, by=user, task_state=task_state)
            if unresolved_blocks(page, check.findings):
                raise PermissionDenied("页面仍有未处理的“阻止发布”问题，不能通过。")
            task_state.approve(user=user, comment=kwargs.get("comment", ""))
            return None
        if action_name == "reject":
            if not _can_review(page, user):
                raise PermissionDenied
            task_state.reject(user=user, comment=kwargs.get("comment", ""))
            return None
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user: AbstractBaseUser, **kwargs: Any) -> QuerySet[TaskState]:
        from wagtail.permission_policies.pages import PagePermissionPolicy

        if not getattr(user, "is_authenticated", False):
            return TaskState.objects.none()
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        pages = PagePermissionPolicy().instances_user_has_permission_for(user, "publish")
        return states.filter(workflow_state__object_id__in=pages.annotate(
            pk_text=Cast("pk", CharField())).values("pk_text"))
