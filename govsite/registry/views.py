"""Wagtail-admin pages of the 网站基本信息库 (/admin/registry/…).

Every page reads through ``govsite.core.access`` (the list is ``websites_visible_to``; one site is
``access_website``, 404 when out of scope) and every change goes through ``services`` (which checks scope
again, validates and audits). The views only translate between HTTP and those calls.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govsite.core.access import is_supervisor, units_visible_to
from govsite.core.admin_helpers import add_service_errors, require_permission
from govsite.core.services import record_audit
from govsite.registry.access import access_website, websites_manageable_by, websites_visible_to

from . import services, xlsx
from .forms import (
    ColumnsForm,
    ImportForm,
    SecurityTestForm,
    StatusChangeForm,
    WebsiteFilterForm,
    WebsiteForm,
)
from .models import ALLOWED_TRANSITIONS

PAGE_SIZE = 50




def _can_manage(request: HttpRequest) -> bool:
    return is_supervisor(request.user) and request.user.has_perm("registry.change_website")


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
    context.setdefault("header_icon", "site")
    return TemplateResponse(request, f"registry/{template}", context)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """网站列表: the sites the user may see, filtered and searched."""
    require_permission(request, "registry.view_website")
    filters = WebsiteFilterForm(request.GET or None, user=request.user)
    websites = filters.filter(websites_visible_to(request.user)).select_related("owner_unit")
    page = Paginator(websites.order_by("site_code"), PAGE_SIZE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return _render(request, "index.html", {
        "page_title": _("政府网站基本信息库"),
        "filters": filters,
        "websites": page,
        "total": page.paginator.count,
        "querystring": query.urlencode(),
        "can_add": request.user.has_perm("registry.add_website") and units_visible_to(request.user).exists(),
        "can_import": request.user.has_perm("registry.import_website") and is_supervisor(request.user),
    })


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, "registry.view_website")
    website = access_website(request.user, pk=pk)
    manageable = _can_manage(request) and websites_manageable_by(request.user).filter(pk=website.pk).exists()
    return _render(request, "detail.html", {
        "page_title": website.name,
        "website": website,
        "status_changes": website.status_changes.select_related("changed_by", "merged_into"),
        "security_tests": website.security_tests.select_related("recorded_by"),
        "monitored_columns": website.monitored_columns.all(),
        "merged_sites": websites_visible_to(request.user).filter(merged_into=website),
        "can_edit": manageable,
        "can_change_status": manageable and bool(ALLOWED_TRANSITIONS[website.status])
        and request.user.has_perm("registry.change_website_status"),
        "can_add_test": manageable and request.user.has_perm("registry.add_securitytest"),
    })


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require_permission(request, "registry.add_website")
    if not units_visible_to(request.user).exists():
        raise PermissionDenied
    form = WebsiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            website = services.do_register_website(form.service_data(), by=request.user, request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记网站“%(site)s”。") % {"site": website})
            return redirect("registry:detail", pk=website.pk)
    return _render(request, "form.html", {
        "page_title": _("登记网站"),
        "form": form,
        "action_url": reverse("registry:create"),
        "submit_label": _("登记"),
    })


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, "registry.change_website")
    website = access_website(request.user, pk=pk, for_change=True)
    form = WebsiteForm(request.POST or None, instance=website, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_website(website, form.service_data(), by=request.user, request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(site)s”的登记信息。") % {"site": website})
            return redirect("registry:detail", pk=website.pk)
    return _render(request, "form.html", {
        "page_title": _("修改登记信息"),
        "page_subtitle": str(website),
        "website": website,
        "form": form,
        "action_url": reverse("registry:edit", args=[website.pk]),
        "submit_label": _("保存"),
    })


@require_http_methods(["GET", "POST"])
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, "registry.change_website_status")
    website = access_website(request.user, pk=pk, for_change=True)
    form = StatusChangeForm(request.POST or None, website=website, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_change_status(
                website, data["to_status"], by=request.user, request=request, reason=data["reason"],
                document_number=data["document_number"], merged_into=data["merged_into"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已变更“%(site)s”的状态。") % {"site": website})
            return redirect("registry:detail", pk=website.pk)
    return _render(request, "form.html", {
        "page_title": _("变更网站状态"),
        "page_subtitle": f"{website} · {website.get_status_display()}",
        "website": website,
        "form": form,
        "action_url": reverse("registry:status", args=[website.pk]),
        "submit_label": _("变更状态"),
    })


@require_http_methods(["GET", "POST"])
def add_security_test(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, "registry.add_securitytest")
    website = access_website(request.user, pk=pk, for_change=True)
    form = SecurityTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_record_security_test(
                website, tested_on=data["tested_on"], tester=data["tester"], passed=data["passed"],
                report_number=data["report_number"], notes=data["notes"], by=request.user, request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记安全检测记录。"))
            return redirect("registry:detail", pk=website.pk)
    return _render(request, "form.html", {
        "page_title": _("登记安全检测"),
        "page_subtitle": str(website),
        "website": website,
        "form": form,
        "action_url": reverse("registry:security_test", args=[website.pk]),
        "submit_label": _("保存"),
    })


@require_http_methods(["GET", "POST"])
def edit_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """栏目校正: the columns the monitor judges, instead of those it finds in the homepage navigation."""
    require_permission(request, "registry.change_website")
    website = access_website(request.user, pk=pk, for_change=True)
    form = ColumnsForm(request.POST or None, initial={"columns": services.column_lines(website)})
    if request.method == "POST" and form.is_valid():
        try:
            columns = services.parse_column_lines(form.cleaned_data["columns"])
            services.do_set_website_columns(website, columns, by=request.user, request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(site)s”的监测栏目。") % {"site": website})
            return redirect("registry:detail", pk=website.pk)
    return _render(request, "form.html", {
        "page_title": _("校正监测栏目"),
        "page_subtitle": str(website),
        "website": website,
        "form": form,
        "action_url": reverse("registry:columns", args=[website.pk]),
        "submit_label": _("保存"),
    })


@require_http_methods(["GET", "POST"])
def import_websites(request: HttpRequest) -> HttpResponse:
    """导入: upload a sheet; on any row error nothing is saved and every error is listed."""
    require_permission(request, "registry.import_website")
    if not is_supervisor(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = xlsx.import_websites(form.cleaned_data["file"], by=request.user, request=request)
        if result.ok:
            messages.success(request, _("导入完成：新增 %(created)d 个，更新 %(updated)d 个，未变化 %(unchanged)d 个。")
                             % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
            return redirect("registry:index")
    return _render(request, "import.html", {
        "page_title": _("导入网站信息"),
        "form": form,
        "result": result,
    })


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """导出: the sites of the current (filtered) list, as .xlsx."""
    require_permission(request, "registry.view_website")
    filters = WebsiteFilterForm(request.GET or None, user=request.user)
    websites = filters.filter(websites_visible_to(request.user))
    content = xlsx.export(websites)
    record_audit(request.user, "registry.export", None, request=request, count=websites.count())
    filename = f"政府网站基本信息库-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename,
                        content_type=xlsx.XLSX_CONTENT_TYPE)

