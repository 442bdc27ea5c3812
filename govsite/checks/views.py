"""Wagtail-admin pages of 词库管理 (/admin/checks/lexicon/…) and 内容检查 (/admin/checks/pages/<id>/).

Every entry is fetched through ``access.access_entry`` (404 out of scope, 403 when read-only) and every
change goes through ``wordlists`` (which checks scope again, validates, keeps the history and audits).
A page is fetched through ``content.access.access_page(..., draft=True)``: 内容检查 reads the newest draft, so
only the site's own staff (and platform administrators) reach it; everyone else gets 404. Findings show
personal data masked (``PageFinding.display_text``), and another site's linked file only by its number.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govsite.content.access import access_page
from govsite.core.admin_helpers import add_service_errors, require_permission

from . import access, pagecheck, wordlists
from .forms import (
    DeactivateForm,
    LexiconEntryForm,
    LexiconFilterForm,
    LexiconImportForm,
    OverrideForm,
)
from .models import EntryKind, FindingOverride, PageCheckRun
from .workflow import ComplianceCheckTask

PAGE_SIZE = 50




def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
    context.setdefault("header_icon", "list-ul")
    return TemplateResponse(request, f"checks/{template}", context)


# --- 词库管理 ---------------------------------------------------------------------------------------------

@require_GET
def lexicon_index(request: HttpRequest) -> HttpResponse:
    """词库列表: the entries of the regions the user may see, filtered."""
    require_permission(request, "checks.view_lexiconentry")
    filters = LexiconFilterForm(request.GET or None, user=request.user)
    entries = filters.filter(access.entries_visible_to(request.user)).select_related("region", "updated_by")
    page = Paginator(entries.order_by("region__path", "kind", "term"), PAGE_SIZE).get_page(request.GET.get("p"))
    manageable = set(access.lexicon_regions_manageable_by(request.user).values_list("pk", flat=True))
    query = request.GET.copy()
    query.pop("p", None)
    can_change = request.user.has_perm("checks.change_lexiconentry")
    return _render(request, "lexicon_index.html", {
        "page_title": _("词库管理"),
        "filters": filters,
        "entries": page,
        "editable_ids": {e.pk for e in page if e.region_id in manageable} if can_change else set(),
        "total": page.paginator.count,
        "querystring": query.urlencode(),
        "can_add": request.user.has_perm("checks.add_lexiconentry") and bool(manageable),
        "can_import": request.user.has_perm("checks.import_lexiconentry") and bool(manageable),
    })


@require_http_methods(["GET", "POST"])
def lexicon_create(request: HttpRequest) -> HttpResponse:
    require_permission(request, "checks.add_lexiconentry")
    if not access.lexicon_regions_manageable_by(request.user).exists():
        raise PermissionDenied
    form = LexiconEntryForm(request.POST or None, user=request.user,
                            initial={"kind": request.GET.get("kind") or EntryKind.SENSITIVE_WORD})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = wordlists.do_add_entry(
                data["region"], data["kind"], data["term"], category=data["category"], severity=data["severity"],
                suggestion=data["suggestion"], note=data["note"], by=request.user, request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已将“%(term)s”加入%(region)s的词库。")
                             % {"term": entry, "region": entry.region.name})
            return redirect("checks:lexicon_index")
    return _render(request, "form.html", {
        "page_title": _("新增词库条目"),
        "form": form,
        "action_url": reverse("checks:lexicon_create"),
        "submit_label": _("保存"),
    })


@require_http_methods(["GET", "POST"])
def lexicon_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, "checks.change_lexiconentry")
    entry = access.access_entry(request.user, pk, for_change=True)
    form = LexiconEntryForm(request.POST or None, user=request.user, entry=entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wordlists.do_change_entry(entry, term=data["term"], category=data["category"], severity=data["severity"],
                                     suggestion=data["suggestion"], note=data["note"], by=request.user,
                                     request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存词库条目“%(term)s”。") % {"term": entry})
            return redirect("checks:lexicon_index")
    return _render(request, "form.html", {
        "page_title": _("修改词库条目"),
        "page_subtitle": f"{entry.get_kind_display()} · {entry.region.name}",
        "entry": entry,
        "form": form,
        "action_url": reverse("checks:lexicon_edit", args=[entry.pk]),
        "submit_label": _("保存"),
    })


@require_http_methods(["GET", "POST"])
def lexicon_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, "checks.change_lexiconentry")
    entry = access.access_entry(request.user, pk, for_change=True)
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            wordlists.do_deactivate_entry(entry, note=form.cleaned_data["note"], by=request.user, request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已停用词库条目“%(term)s”。") % {"term": entry})
            return redirect("checks:lexicon_index")
    return _render(request, "form.html", {
        "page_title": _("停用词库条目"),
        "page_subtitle": f"{entry.get_kind_display()} · {entry} · {entry.region.name}",
        "entry": entry,
        "form": form,
        "action_url": reverse("checks:lexicon_deactivate", args=[entry.pk]),
        "submit_label": _("停用"),
    })


@require_GET
def lexicon_history(request: HttpRequest, pk: int) -> HttpResponse:
    """修改记录 of one entry, newest first."""
    require_permission(request, "checks.view_lexiconentry")
    entry = access.access_entry(request.user, pk)
    return _render(request, "lexicon_history.html", {
        "page_title": _("词库条目修改记录"),
        "page_subtitle": f"{entry.get_kind_display()} · {entry} · {entry.region.name}",
        "entry": entry,
        "changes": entry.changes.select_related("user"),
    })


@require_http_methods(["GET", "POST"])
def lexicon_import(request: HttpRequest) -> HttpResponse:
    """导入: a text file; on any line error nothing is saved and every error is listed."""
    require_permission(request, "checks.import_lexiconentry")
    if not access.lexicon_regions_manageable_by(request.user).exists():
        raise PermissionDenied
    form = LexiconImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = wordlists.do_import_entries(data["region"], data["kind"], data["file"], by=request.user,
                                            request=request)
        if result.ok:
            messages.success(request, _("导入完成：新增 %(created)d 条，重新启用 %(reactivated)d 条，跳过重复 %(skipped)d 条。")
                             % {"created": result.created, "reactivated": result.reactivated,
                                "skipped": result.skipped})
            return redirect("checks:lexicon_index")
    return _render(request, "lexicon_import.html", {
        "page_title": _("导入词库"),
        "form": form,
        "result": result,
    })


# --- 内容检查 ---------------------------------------------------------------------------------------------

def _compliance_task_state(page: Any) -> Any:
    """The page's current workflow step if it is 自动内容检查 and in progress."""
    task_state = page.current_workflow_task_state
    if task_state is None or not isinstance(task_state.task.specific, ComplianceCheckTask):
        return None
    return task_state


@require_GET
def page_findings(request: HttpRequest, page_id: int) -> HttpResponse:
    """检查结果 of the page's newest version: what, where and why, blocking findings first, with overrides."""
    page = access_page(request.user, page_id, draft=True).specific
    content, revision = pagecheck.latest_content(page)
    check = pagecheck.check_page(content)
    overrides = {o.fingerprint: o for o in FindingOverride.objects.filter(page=page).select_related("user")}
    permissions = page.permissions_for_user(request.user)
    can_review = access.may_review(page, request.user)
    rows = []
    for finding in sorted(check.findings, key=lambda f: (not f.is_block, f.field != "title", f.field)):
        override = overrides.get(finding.fingerprint)
        rows.append({
            "finding": finding,
            "override": override,
            "form": OverrideForm(initial={"fingerprint": finding.fingerprint})
            if finding.is_block and override is None and can_review else None,
        })
    unresolved = [row for row in rows if row["finding"].is_block and row["override"] is None]
    task_state = _compliance_task_state(page)
    return _render(request, "page_findings.html", {
        "page_title": _("内容检查"),
        "page_subtitle": page.get_admin_display_title(),
        "header_icon": "doc-full",
        "page": page,
        "revision": revision,
        "rows": rows,
        "block_count": sum(1 for row in rows if row["finding"].is_block),
        "warn_count": sum(1 for row in rows if not row["finding"].is_block),
        "unresolved_count": len(unresolved),
        "can_review": can_review,
        "can_edit": permissions.can_edit(),
        "task_state": task_state,
        "can_approve": task_state is not None and can_review and not unresolved,
        "runs": PageCheckRun.objects.filter(page=page).select_related("user")[:10],
    })


@require_POST
def page_override(request: HttpRequest, page_id: int) -> HttpResponse:
    """人工放行 one blocking finding; the reason is required."""
    page = access_page(request.user, page_id, draft=True).specific
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            pagecheck.do_override_finding(page, form.cleaned_data["fingerprint"], form.cleaned_data["reason"],
                                         by=request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已放行该问题，理由已记录。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("checks:page", page_id=page.pk)


@require_POST
def page_recheck(request: HttpRequest, page_id: int) -> HttpResponse:
    """重新检查 the newest version; inside the workflow step this approves it when nothing blocks any more."""
    page = access_page(request.user, page_id, draft=True).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    task_state = _compliance_task_state(page)
    if task_state is not None:
        task_state.task.specific.on_action(task_state, request.user, "recheck")
    else:
        pagecheck.do_check_latest_revision(page, by=request.user)
    messages.success(request, _("已重新检查。"))
    return redirect("checks:page", page_id=page.pk)


@require_POST
def page_approve(request: HttpRequest, page_id: int) -> HttpResponse:
    """通过 the 自动内容检查 step once every blocking finding is corrected or overridden."""
    page = access_page(request.user, page_id, draft=True).specific
    task_state = _compliance_task_state(page)
    if task_state is None:
        messages.error(request, _("该页面当前不在“自动内容检查”步骤。"))
        return redirect("checks:page", page_id=page.pk)
    if not access.may_review(page, request.user):
        raise PermissionDenied
    try:
        task_state.task.specific.on_action(task_state, request.user, "approve",
                                           comment=request.POST.get("comment", "").strip())
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("页面仍有未处理的“阻止发布”问题，不能通过。"))
        return redirect("checks:page", page_id=page.pk)
    messages.success(request, _("已通过自动内容检查。"))
    return redirect("wagtailadmin_pages:edit", page.pk)
