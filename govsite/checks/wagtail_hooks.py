"""Hooks that put 词库管理 and 内容检查 into the Wagtail admin, and refuse blocked publication politely.

The refusal itself is the page models' save guard (`page_guard.py`); the hooks below only stop the admin's
publish button and bulk publish *before* they reach it, with a message instead of an error page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from govsite.core.services import record_audit

from . import views
from .page_guard import PublishGuardMixin, blocked_message, unresolved_findings, workflow_problems
from .pagecheck import check_page, latest_content, unresolved_blocks
from .workflow import pending_blocks

urlpatterns = [
    path("lexicon/", views.lexicon_index, name="lexicon_index"),
    path("lexicon/add/", views.lexicon_create, name="lexicon_create"),
    path("lexicon/import/", views.lexicon_import, name="lexicon_import"),
    path("lexicon/<int:pk>/edit/", views.lexicon_edit, name="lexicon_edit"),
    path("lexicon/<int:pk>/deactivate/", views.lexicon_deactivate, name="lexicon_deactivate"),
    path("lexicon/<int:pk>/history/", views.lexicon_history, name="lexicon_history"),
    path("pages/<int:page_id>/", views.page_findings, name="page"),
    path("pages/<int:page_id>/override/", views.page_override, name="page_override"),
    path("pages/<int:page_id>/recheck/", views.page_recheck, name="page_recheck"),
    path("pages/<int:page_id>/approve/", views.page_approve, name="page_approve"),
]


@hooks.register("register_admin_urls")
def register_checks_urls() -> list:
    return [path("checks/", include((urlpatterns, "checks"), namespace="checks"))]


class LexiconMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("checks.view_lexiconentry")


@hooks.register("register_admin_menu_item")
def register_lexicon_menu_item() -> MenuItem:
    return LexiconMenuItem(_("词库管理"), reverse_lazy("checks:lexicon_index"), name="lexicon",
                           icon_name="list-ul", order=160)


@hooks.register("register_permissions")
def register_lexicon_permissions() -> Any:
    return Permission.objects.filter(content_type__app_label="checks", codename__in=[
        "view_lexiconentry", "add_lexiconentry", "change_lexiconentry", "import_lexiconentry",
    ])


class PageFindingsButton(PageMenuItem):
    label = _("内容检查")
    icon_name = "doc-full"
    url_name = "checks:page"
    priority = 62

    def is_shown(self, user: Any) -> bool:
        return isinstance(self.page.specific_deferred, PublishGuardMixin) and \
            self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_header_buttons")
def page_findings_header_button(page: Any, user: Any, view_name: str, next_url: str | None = None) -> Any:
    yield PageFindingsButton(page=page)


@hooks.register("register_page_listing_more_buttons")
def page_findings_listing_button(page: Any, user: Any, next_url: str | None = None) -> Any:
    yield PageFindingsButton(page=page)


def _refuse(request: HttpRequest, page: Any, findings: list, where: str) -> None:
    record_audit(request.user, "checks.publish_refused", page, result="refused", request=request, path=where,
                 findings=[{"kind": f.finding.kind, "where": f.where, "text": f.display_text} for f in findings[:20]])


@hooks.register("before_publish_page")
def refuse_blocked_publication(request: HttpRequest, page: Any) -> HttpResponse | None:
    """The 发布 (and 定时发布) button: keep the draft, say what blocks, stay on the edit page."""
    if not isinstance(page, PublishGuardMixin):
        return None
    blocking = unresolved_findings(page)
    if not blocking:
        return None
    _refuse(request, page, blocking, "admin")
    messages.error(request, blocked_message(blocking),
                   buttons=[messages.button(reverse("checks:page", args=[page.pk]), _("查看检查结果"))])
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_blocked_bulk_publication(request: HttpRequest, action_type: str, objects: list,
                                    action_class_instance: Any) -> HttpResponse | None:
    """批量发布: refuse the whole action, naming the pages that may not be published."""
    from wagtail.models import Page

    if action_type != "publish":
        return None
    # Under a workflow nobody may publish in bulk, so Wagtail hands the hook none of those pages; name them.
    _allowed, extra = action_class_instance.get_actionable_objects()
    around = [page for page in extra.get("items_with_no_access", [])
              if isinstance(page, Page) and page.get_workflow() is not None]
    if around:
        for page in around:
            _refuse(request, page, [], "bulk")
        titles = "、".join(f"“{page.get_admin_display_title()}”" for page in around[:10])
        messages.error(request, _("以下页面须经审核流程（自动内容检查 → 审核）发布，本次批量发布未执行：%(titles)s。"
                                  "请逐一提交审核。") % {"titles": titles})
        return redirect(action_class_instance.next_url)
    if not objects or not isinstance(objects[0], Page):
        return None
    candidates = list(objects)
    form = getattr(action_class_instance, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            candidates.extend(page.get_descendants().not_live().specific())
    refused = []
    for page in candidates:
        content, _revision = latest_content(page)
        if not isinstance(content, PublishGuardMixin):
            continue
        blocking = unresolved_blocks(content, check_page(content).findings)
        if blocking:
            refused.append(content)
            _refuse(request, content, blocking, "bulk")
    if not refused:
        return None
    titles = "、".join(f"“{page.get_admin_display_title()}”" for page in refused[:10])
    messages.error(request, _("以下页面存在未处理的“阻止发布”问题，本次批量发布未执行：%(titles)s。请逐一打开“内容检查”处理。")
                   % {"titles": titles})
    return redirect(action_class_instance.next_url)


# --- 提交审核 and 发布 under the site's workflow (review.py) -------------------------------------------------

def _drop_success_messages(request: HttpRequest) -> None:
    """Take back the "submitted" message Wagtail queued before our refusal (iterating consumes the queue)."""
    from django.contrib import messages as django_messages

    storage = django_messages.get_messages(request)
    kept = [m for m in storage if m.level != django_messages.SUCCESS]
    for message in kept:
        storage.add(message.level, message.message, message.extra_tags)


def stop_blocked_submission(request: HttpRequest, page: Any) -> HttpResponse | None:
    """提交审核 with unresolved blocking findings is refused at once, listing what, where and why (masked).

    The draft stays saved; the workflow just started (or resumed) is cancelled, so nothing waits for review.
    A 发布 sent by someone who may no longer publish directly is answered with the reason too.
    """
    from wagtail.models import WorkflowState

    if request.method != "POST" or page is None or not page.pk:
        return None
    submitting = bool(request.POST.get("action-submit") or request.POST.get("action-restart-workflow"))
    publishing = bool(request.POST.get("action-publish"))
    page = page.specific
    if not (submitting or publishing) or not isinstance(page, PublishGuardMixin):
        return None
    blocking = pending_blocks(page)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    findings_button = [messages.button(reverse("checks:page", args=[page.pk]), _("查看检查结果"))]
    if submitting:
        problems = [] if blocking else workflow_problems(page)
        if not blocking and not problems:
            return None
        state = page.current_workflow_state
        if state is not None and state.status in (WorkflowState.STATUS_IN_PROGRESS,
                                                  WorkflowState.STATUS_NEEDS_CHANGES):
            state.cancel(user=request.user)
        _drop_success_messages(request)
        _refuse(request, page, blocking, "submit")
        if blocking:
            messages.error(request, blocked_message(blocking, lead="未提交审核，已保存为草稿"),
                           buttons=findings_button)
        else:
            messages.error(request, "未提交审核，已保存为草稿：" + "；".join(problems))
        return redirect(edit_url)
    if page.permissions_for_user(request.user).can_publish() or page.get_workflow() is None:
        return None
    _drop_success_messages(request)
    _refuse(request, page, blocking, "admin")
    if blocking:
        messages.error(request, blocked_message(blocking), buttons=findings_button)
    messages.warning(request, _("本网站的信息须经审核流程（自动内容检查 → 审核 → 保密审查）发布，不能直接发布。"
                                "修改已保存为草稿，请点击“提交审核”。"))
    return redirect(edit_url)


@hooks.register("after_edit_page")
def stop_blocked_submission_on_edit(request: HttpRequest, page: Any) -> HttpResponse | None:
    return stop_blocked_submission(request, page)


@hooks.register("after_create_page")
def stop_blocked_submission_on_create(request: HttpRequest, page: Any) -> HttpResponse | None:
    return stop_blocked_submission(request, page)


@hooks.register("after_edit_page")
def approve_the_reviewers_own_edit(request: HttpRequest, page: Any) -> None:
    """批准 after editing in the editor publishes too.

    Wagtail saves the reviewer's edit as a new revision before approving, and with
    WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT the approval, given to the previous revision, then no longer
    counts: the workflow starts again. 自动内容检查 has just run on the new revision; if it passed and the
    workflow is back at the step this reviewer approved a moment ago, that approval stands for their own edit.
    """
    from wagtail.models import TaskState, WorkflowState

    if request.method != "POST" or request.POST.get("workflow-action-name") != "approve" \
            or not request.POST.get("action-workflow-action"):
        return None
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return None
    task_state = state.current_task_state
    task = task_state.task.specific
    if task_state.status != TaskState.STATUS_IN_PROGRESS or \
            "approve" not in [name for name, _label, _modal in task.get_actions(page, request.user)]:
        return None
    latest = page.get_latest_revision()
    if latest is None or latest.user_id != request.user.pk:  # only the reviewer's own edit
        return None
    just_approved = TaskState.objects.filter(
        workflow_state=state, task_id=task_state.task_id, status=TaskState.STATUS_APPROVED,
        finished_by=request.user).exclude(pk=task_state.pk).order_by("-finished_at").first()
    if just_approved is None or just_approved.revision_id == latest.pk:
        return None
    task.on_action(task_state, request.user, "approve", comment=just_approved.comment)
    return None
