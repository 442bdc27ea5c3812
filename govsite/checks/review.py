"""发布审核: every hosted site's default workflow 自动内容检查 → 审核, and the rule that it is the only way to publish.

- `ensure_site_workflow` gives a hosted site the workflow (信息发布审核) on its home page: the shared
  `ComplianceCheckTask` (自动内容检查), then a `GroupApprovalTask` (审核) for that site's reviewer group.
- `WorkflowOnlyPermissionTester` answers "no" to `can_publish` for every page under a workflow, whoever asks:
  Wagtail then offers no 发布 button, no bulk publish, no publish-on-copy and no scheduling of its own; the
  permission to publish stays what decides who may review (`access.may_review`), unpublish and set privacy.
- `finish.publish_approved` is the workflow's finishing action (WAGTAIL_FINISH_WORKFLOW_ACTION): approval is
  the one path that publishes, so it publishes without asking the (now always "no") publish check again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from wagtail.models import GroupApprovalTask, PagePermissionTester, Workflow, WorkflowPage, WorkflowTask

from govsite.core.models import HostedSiteGroup, Role

from .workflow import ComplianceCheckTask

if TYPE_CHECKING:
    from govsite.registry.models import Website

CHECK_TASK_NAME = "自动内容检查"


def workflow_name(website: Website) -> str:
    return "信息发布审核"


def approval_task_name(website: Website) -> str:
    return f"审核（{website.name}）"[:255]


@transaction.atomic
def ensure_site_workflow(website: Website) -> Workflow | None:
    """Give a hosted site its default workflow 自动内容检查 → 审核 (its reviewer group); idempotent.

    A site whose home page already has a workflow of its own keeps it (a site admin may have chosen another);
    only the reviewer group of the 审核 step is repaired.
    """
    if not website.wagtail_site_id:
        return None
    home = website.wagtail_site.root_page
    reviewers = HostedSiteGroup.objects.get(website=website, role=Role.REVIEWER).group
    link = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    if link is not None:
        for task in GroupApprovalTask.objects.filter(workflow_tasks__workflow=link.workflow, groups=reviewers):
            task.groups.add(reviewers)
        return link.workflow
    check = ComplianceCheckTask.objects.filter(name=CHECK_TASK_NAME, active=True).order_by("pk").first()
    if check is None:
        check = ComplianceCheckTask.objects.create(name=CHECK_TASK_NAME)
    approval = GroupApprovalTask.objects.filter(groups=reviewers, active=True).order_by("pk").first()
    if approval is None:
        approval = GroupApprovalTask.objects.create(name=approval_task_name(website))
        approval.groups.set([reviewers])
    workflow = Workflow.objects.create(name=workflow_name(website))
    WorkflowTask.objects.create(workflow=workflow, task=check, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=approval, sort_order=1)
    WorkflowPage.objects.create(page=home, workflow=workflow)
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
