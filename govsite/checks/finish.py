"""The end of an approved workflow (审核通过即发布): WAGTAIL_FINISH_WORKFLOW_ACTION.

Kept free of imports at module level: Wagtail imports it while `wagtail.models` is still loading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from wagtail.models import WorkflowState


def secrecy_approved(workflow_state: WorkflowState) -> bool:
    """Whether this submission has a 保密审查 approval made after the last edit of what is to be published."""
    from wagtail.models import Page, TaskState

    from .approval import SecrecyReviewTask

    # Read afresh: the state's cached page may predate the last edit.
    page = Page.objects.filter(pk=workflow_state.object_id).first()
    revision = page.get_latest_revision() if page is not None else None
    approvals = TaskState.objects.filter(
        workflow_state=workflow_state, status=TaskState.STATUS_APPROVED,
        task__in=SecrecyReviewTask.objects.all(), finished_at__isnull=False, finished_by__isnull=False)
    if revision is not None:
        approvals = approvals.filter(finished_at__gte=revision.created_at)
    return approvals.exists()


def publish_approved(workflow_state: WorkflowState, user: AbstractBaseUser | None = None, **kwargs: Any) -> None:
    """Publish the approved revision. Approval is the only path to publication (see review.py), so the publish
    check, which says "no" to everyone under a workflow, is not asked again; the save guard still checks it.

    保密审查 cannot be skipped: a workflow that ends without a 保密审查 approval of the latest revision — one
    edited by hand to drop the step, say — publishes nothing (the approval that ended it is rolled back)."""
    from .page_guard import PublicationBlocked, assert_publishable, workflow_problems

    revision = workflow_state.content_object.get_latest_revision()
    page = revision.as_object()
    if not secrecy_approved(workflow_state):
        assert_publishable(page)  # blocking findings first: they say more than the missing step
        raise PublicationBlocked("未经保密审查员审查通过，不能发布。", page=page)
    problems = workflow_problems(page)
    if problems:
        raise PublicationBlocked("不能发布：" + "；".join(problems), page=page)
    revision.publish(user=user, skip_permission_checks=True)
