"""发布审核 (先审后发): every hosted site's workflow 自动内容检查 → 审核 → 保密审查, and the rule that it is the
only way to publish.

- `ensure_site_workflow` gives a hosted site its workflow (信息发布审核) on its home page: the shared
  `ComplianceCheckTask` (自动内容检查), then the site's human steps (`approval.ReviewLevelTask` for its
  审核人员, `approval.SecrecyReviewTask` for its 保密审查员, always last). A site has two to four human
  levels (`REVIEW_LEVELS`); `do_set_review_levels` changes that, audited.
- `WorkflowOnlyPermissionTester` answers "no" to `can_publish` for every page under a workflow, whoever asks:
  Wagtail then offers no 发布 button, no bulk publish, no publish-on-copy and no scheduling of its own; the
  permission to publish stays what decides who may review (`access.may_review`), unpublish and set privacy.
- `finish.publish_approved` is the workflow's finishing action (WAGTAIL_FINISH_WORKFLOW_ACTION): approval is
  the one path that publishes, and it publishes only a revision with a 保密审查 approval made after its last
  edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.models import (
    PagePermissionTester,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from govsite.core.access import is_platform_admin, is_system, require_actor, site_roles
from govsite.core.models import HostedSiteGroup, Role
from govsite.core.services import record_audit

from .approval import ReviewLevelTask, SecrecyReviewTask
from .workflow import ComplianceCheckTask

if TYPE_CHECKING:
    from django.http import HttpRequest

    from govsite.registry.models import Website

CHECK_TASK_NAME = "自动内容检查"
SECRECY_STEP = "保密审查"
# Human levels (审核级数) → the names of the steps, 保密审查 always last (national rules §9 item 21).
REVIEW_LEVELS: dict[int, tuple[str, ...]] = {
    2: ("审核", SECRECY_STEP),
    3: ("初审", "复审", SECRECY_STEP),
    4: ("初审", "复审", "终审", SECRECY_STEP),
}
DEFAULT_REVIEW_LEVELS = 2


def workflow_name(website: Website) -> str:
    return "信息发布审核"


def approval_task_name(website: Website, step: str = "审核") -> str:
    return f"{step}（{website.name}）"[:255]


def _group(website: Website, role: str) -> Any:
    return HostedSiteGroup.objects.get(website=website, role=role).group


def site_workflow(website: Website) -> Workflow | None:
    if not website.wagtail_site_id:
        return None
    link = WorkflowPage.objects.filter(page=website.wagtail_site.root_page).select_related("workflow").first()
    return link.workflow if link else None


def human_steps(workflow: Workflow) -> list[Task]:
    """The workflow's human steps in order (审核 levels, then 保密审查)."""
    tasks = [wt.task.specific for wt in WorkflowTask.objects.filter(workflow=workflow).select_related("task")
             .order_by("sort_order")]
    return [t for t in tasks if isinstance(t, ReviewLevelTask | SecrecyReviewTask)]


def review_levels(website: Website) -> int | None:
    """How many human levels the site's workflow has (2–4), or None without a workflow of ours."""
    workflow = site_workflow(website)
    if workflow is None:
        return None
    steps = human_steps(workflow)
    if not steps or not isinstance(steps[-1], SecrecyReviewTask):
        return None
    return len(steps)


def _review_task(website: Website, step: str) -> ReviewLevelTask:
    reviewers = _group(website, Role.REVIEWER)
    name = approval_task_name(website, step)
    task = ReviewLevelTask.objects.filter(name=name, groups=reviewers, active=True).order_by("pk").first()
    if task is None:
        task = ReviewLevelTask.objects.create(name=name)
        task.groups.set([reviewers])
    return task


def _secrecy_task(website: Website) -> SecrecyReviewTask:
    secrecy = _group(website, Role.SECRECY_REVIEWER)
    task = SecrecyReviewTask.objects.filter(groups=secrecy, active=True).order_by("pk").first()
    if task is None:
        task = SecrecyReviewTask.objects.create(name=approval_task_name(website, SECRECY_STEP))
        task.groups.set([secrecy])
    return task


def _build_workflow(website: Website, levels: int) -> Workflow:
    check = ComplianceCheckTask.objects.filter(name=CHECK_TASK_NAME, active=True).order_by("pk").first()
    if check is None:
        check = ComplianceCheckTask.objects.create(name=CHECK_TASK_NAME)
    steps = REVIEW_LEVELS[levels]
    tasks: list[Task] = [check] + [_review_task(website, step) for step in steps[:-1]] + [_secrecy_task(website)]
    workflow = Workflow.objects.create(name=workflow_name(website))
    for order, task in enumerate(tasks):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def _attach(website: Website, workflow: Workflow) -> list[WorkflowState]:
    """Put `workflow` on the site's home page; submissions still running on the old one are cancelled
    (their approvals were for other steps) and returned, so the caller can say so."""
    home = website.wagtail_site.root_page
    old = WorkflowPage.objects.filter(page=home).first()
    cancelled: list[WorkflowState] = []
    if old is not None:
        running = WorkflowState.objects.filter(workflow=old.workflow, status=WorkflowState.STATUS_IN_PROGRESS)
        for state in running:
            state.status = WorkflowState.STATUS_CANCELLED
            state.save(update_fields=["status"])
            TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS).update(
                status=TaskState.STATUS_CANCELLED)
            cancelled.append(state)
        old_workflow = old.workflow
        old.delete()
        if not WorkflowPage.objects.filter(workflow=old_workflow).exists():
            old_workflow.active = False
            old_workflow.save(update_fields=["active"])
    WorkflowPage.objects.create(page=home, workflow=workflow)
    return cancelled


@transaction.atomic
def ensure_site_workflow(website: Website) -> Workflow | None:
    """Give a hosted site its workflow 自动内容检查 → 审核 → 保密审查; idempotent.

    A workflow of ours (its last step 保密审查) is kept with its levels and only has its groups repaired; any
    other workflow on the home page — the two-step one of before 保密审查, or one put there by hand — is
    replaced by ours with the default levels, so no hosted site publishes without 保密审查.
    """
    if not website.wagtail_site_id:
        return None
    workflow = site_workflow(website)
    if workflow is not None and review_levels(website) is not None:
        for task in human_steps(workflow):
            role = Role.SECRECY_REVIEWER if isinstance(task, SecrecyReviewTask) else Role.REVIEWER
            task.groups.add(_group(website, role))
        return workflow
    workflow = _build_workflow(website, DEFAULT_REVIEW_LEVELS)
    _attach(website, workflow)
    return workflow


def may_set_review_levels(actor: Any, website: Website) -> bool:
    """审核级数 is the site's own administrator's choice, or a platform operator's."""
    if is_system(actor):
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return is_platform_admin(actor) or Role.SITE_ADMIN in site_roles(actor, website)


@transaction.atomic
def do_set_review_levels(website: Website, levels: int, *, by: Any, request: HttpRequest | None = None) -> Workflow:
    """设置审核级数: give the site a workflow with `levels` human steps (2–4), 保密审查 always the last one.
    Submissions in review under the old steps are cancelled and must be submitted again; audited."""
    require_actor(by)
    if not may_set_review_levels(by, website):
        raise PermissionDenied("无权设置该网站的审核流程。")
    if levels not in REVIEW_LEVELS:
        raise ValidationError({"levels": "审核级数须为 2 至 4 级（最后一级为保密审查）。"})
    if not website.wagtail_site_id:
        raise ValidationError({"levels": "该网站不是托管网站。"})
    ensure_site_workflow(website)
    before = review_levels(website)
    if before == levels:
        return site_workflow(website)
    workflow = _build_workflow(website, levels)
    cancelled = _attach(website, workflow)
    record_audit(by, "content.review_levels", website, request=request, site_code=website.site_code,
                 before=before, after=levels, steps=list(REVIEW_LEVELS[levels]),
                 cancelled_submissions=[s.pk for s in cancelled])
    return workflow


class WorkflowOnlyPermissionTester(PagePermissionTester):
    """Page permissions with publishing reserved to the workflow (no 发布 around 审核)."""

    def _under_workflow(self) -> bool:
        return self.page.get_workflow() is not None

    def can_publish(self) -> bool:
        return not self._under_workflow() and super().can_publish()

    def can_publish_subpage(self) -> bool:
        return not self._under_workflow() and super().can_publish_subpage()

    def _holds_publish(self) -> bool:
        return self.user.is_active and (self.user.is_superuser or "publish" in self.permissions)

    def can_set_view_restrictions(self) -> bool:
        return self._holds_publish()

    def can_unschedule(self) -> bool:
        return self._holds_publish()
