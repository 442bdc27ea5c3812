"""The end of an approved workflow (审核通过即发布): WAGTAIL_FINISH_WORKFLOW_ACTION.

Kept free of imports at module level: Wagtail imports it while `wagtail.models` is still loading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from wagtail.models import WorkflowState


def publish_approved(workflow_state: WorkflowState, user: AbstractBaseUser | None = None, **kwargs: Any) -> None:
    """Publish the approved revision. Approval is the only path to publication (see review.py), so the publish
    check, which says "no" to everyone under a workflow, is not asked again; the save guard still checks it."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
