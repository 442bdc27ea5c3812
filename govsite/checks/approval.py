"""先审后发: the human steps of a hosted site's workflow after 自动内容检查.

- `ReviewLevelTask` (审核, or 初审/复审/终审 when a site chose three or four levels): approved by the site's
  审核人员 group.
- `SecrecyReviewTask` (保密审查): always the last step, approved only by the site's 保密审查员 group (the
  superuser flag does not stand in for it), never skippable: the workflow's finishing action refuses to
  publish a revision that has no 保密审查 approval made after its last edit (`finish.publish_approved`).

Both record each decision — who, when, which step, 通过 or 退回 and the comment — in the audit log
(审核决定 / 保密审查决定), besides Wagtail's own task state, and both refuse an approval by someone who
already approved an earlier step of the same submission (逐级审核须由不同人员).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from govsite.core.services import record_audit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from wagtail.models import WorkflowState

SAME_PERSON_MESSAGE = "同一稿件的各级审核须由不同人员完成，您已审核过本稿件的前一级。"


def approved_other_step(task: Any, workflow_state: WorkflowState, user: Any) -> bool:
    """Whether `user` approved another human step (审核 levels, 保密审查) of this submission. Their earlier
    approval of this same step (of an older revision, before an edit restarted the workflow) does not count."""
    if user is None or not getattr(user, "pk", None):
        return False
    approved = TaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_APPROVED,
                                        finished_by=user).exclude(task_id=task.pk)
    human = [ReviewLevelTask, SecrecyReviewTask]
    return any(approved.filter(task__in=model.objects.all()).exists() for model in human)


class _RecordedApprovalTask(AbstractGroupApprovalTask):
    """A group approval whose decisions are audited and whose approvers differ from step to step."""

    audit_event = "content.review_decision"
    superuser_may_act = True

    class Meta:
        abstract = True

    def _in_groups(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return (self.superuser_may_act and user.is_superuser) or self._user_in_groups(user)

    def user_can_access_editor(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self._in_groups(user)

    def locked_for_user(self, obj: Any, user: AbstractBaseUser) -> bool:
        return not self._in_groups(user)

    def get_actions(self, obj: Any, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
        if not self._in_groups(user):
            return []
        actions = [("reject", str(_("退回修改")), True)]
        state = self._current_state(obj)
        if state is None or not approved_other_step(self, state, user):
            actions += [("approve", str(_("通过")), False), ("approve", str(_("通过并填写意见")), True)]
        return actions

    def _current_state(self, obj: Any) -> WorkflowState | None:
        return getattr(obj, "current_workflow_state", None)

    @transaction.atomic
    def on_action(self, task_state: TaskState, user: AbstractBaseUser, action_name: str, **kwargs: Any) -> Any:
        if not self._in_groups(user):
            raise PermissionDenied("您不在本步骤的审核人员中。")
        if action_name == "approve" and approved_other_step(self, task_state.workflow_state, user):
            raise PermissionDenied(SAME_PERSON_MESSAGE)
        result = super().on_action(task_state, user, action_name, **kwargs)
        if action_name in ("approve", "reject"):
            page = task_state.workflow_state.content_object
            record_audit(user, self.audit_event, page, step=self.name, decision=action_name,
                         decision_label="通过" if action_name == "approve" else "退回修改",
                         comment=kwargs.get("comment", ""), revision=task_state.revision_id)
        return result

    def get_task_states_user_can_moderate(self, user: AbstractBaseUser, **kwargs: Any) -> Any:
        if self._in_groups(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()


class ReviewLevelTask(_RecordedApprovalTask):
    """审核 (one level of 初审/复审/终审): approved by the site's 审核人员."""

    class Meta:
        app_label = "checks"
        verbose_name = _("审核")
        verbose_name_plural = _("审核")

    @classmethod
    def get_description(cls) -> str:
        return str(_("本站审核人员审核稿件内容；逐级审核须由不同人员完成。"))


class SecrecyReviewTask(_RecordedApprovalTask):
    """保密审查: the last step, approved only by the site's 保密审查员; cannot be skipped or stood in for."""

    audit_event = "content.secrecy_decision"
    superuser_may_act = False

    class Meta:
        app_label = "checks"
        verbose_name = _("保密审查")
        verbose_name_plural = _("保密审查")

    @classmethod
    def get_description(cls) -> str:
        return str(_("本站保密审查员确认稿件不涉及国家秘密和工作秘密后方可发布；审查人和时间记入审计日志。"))
