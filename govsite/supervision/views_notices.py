"""Admin pages of 通报 (/admin/supervision/notices/…): generate a notice from a finished campaign, read it, download
the .docx and the .xlsx annex, submit it to the portal's 政府信息公开 column, edit a unit's notice template.

Gate: `access.may_run_campaigns` (supervisors and platform admins); every campaign and notice is fetched through
`access.py` (outside the user's scope: 404). The work is done by `notices.py`; views parse, render and report.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govsite.core import officedocs
from govsite.core.services import record_audit
from govsite.core.validators import validate_multiline_text, validate_text

from . import notices
from .access import access_campaign, access_notice, may_run_campaigns, units_may_organise
from .models import CampaignStatus
from .uploads import file_response

CONTENT_TYPES = {"docx": officedocs.DOCX_CONTENT_TYPE, "xlsx": officedocs.XLSX_CONTENT_TYPE}


def _gate(request: HttpRequest) -> None:
    if not may_run_campaigns(request.user):
        raise PermissionDenied(_("只有监管人员可以使用通报功能。"))


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
    context.setdefault("header_icon", "doc-full")
    return TemplateResponse(request, f"supervision/{template}", context)


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _campaign_url(campaign_id: int) -> str:
    try:
        return reverse("supervision:campaign", args=[campaign_id])
    except NoReverseMatch:
        return reverse("supervision:notices")


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """通报: the notices of the campaigns the user may see, and the finished campaigns without one yet."""
    _gate(request)
    from .access import campaigns_visible_to

    items = notices.notices_visible_to(request.user).select_related("campaign", "created_by")[:200]
    finished = campaigns_visible_to(request.user).filter(status=CampaignStatus.FINISHED).order_by("-finished_at")[:50]
    return _render(request, "notices.html", {
        "page_title": _("通报"), "notices": items, "finished": finished,
        "template_units": units_may_organise(request.user).exists(),
    })


@require_POST
def notice_generate(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """生成通报 of a finished campaign (POST)."""
    _gate(request)
    campaign = access_campaign(request.user, campaign_id)
    number = request.POST.get("document_number") or None
    try:
        notice = notices.do_generate_notice(campaign, by=request.user, document_number=number)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect(_campaign_url(campaign.pk))
    messages.success(request, _("已生成通报：%(title)s。") % {"title": notice.title})
    return redirect("supervision:notice", notice_id=notice.pk)


@require_GET
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    _gate(request)
    notice = access_notice(request.user, notice_id)
    portal = notices.organiser_portal(notice.campaign)
    return _render(request, "notice.html", {
        "page_title": notice.title, "page_subtitle": notice.document_number, "notice": notice,
        "campaign": notice.campaign, "campaign_url": _campaign_url(notice.campaign_id), "portal": portal,
    })


@require_GET
def notice_download(request: HttpRequest, notice_id: int, kind: str) -> HttpResponse:
    """The .docx or the .xlsx annex, as an attachment under a Chinese name (RFC 5987 filename*)."""
    _gate(request)
    notice = access_notice(request.user, notice_id)
    if kind not in CONTENT_TYPES:
        raise Http404(_("没有这种文件。"))
    response = file_response(notice.docx if kind == "docx" else notice.xlsx,
                             filename=notices.download_name(notice, kind), content_type=CONTENT_TYPES[kind])
    record_audit(request.user, "supervision.notice_download", notice, request=request, kind=kind)
    return response


@require_POST
def notice_publish(request: HttpRequest, notice_id: int) -> HttpResponse:
    """提交到政府信息公开栏目: a draft under the portal's workflow (审核, 保密审查)."""
    _gate(request)
    notice = access_notice(request.user, notice_id)
    try:
        notices.do_publish_notice(notice, by=request.user)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权提交。"))
    else:
        messages.success(request, _("已提交到政府信息公开栏目，经审核和保密审查通过后发布。"))
    return redirect("supervision:notice", notice_id=notice.pk)


class TemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=300, validators=[validate_text])
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=100, validators=[validate_text])
    body = forms.CharField(label=gettext_lazy("正文"), widget=forms.Textarea(attrs={"rows": 18}),
                           validators=[validate_multiline_text],
                           help_text=gettext_lazy("每行一段。第一行以“：”结尾时作为主送机关。"))
    issuer = forms.CharField(label=gettext_lazy("发文机关署名"), max_length=200, validators=[validate_text])


@require_http_methods(["GET", "POST"])
def notice_template(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    """通报模板 of a unit the user supervises (platform admins: any government)."""
    _gate(request)
    units = units_may_organise(request.user).order_by("path")
    if unit_id is None:
        first = units.first()
        if first is None:
            raise Http404(_("没有可以设置通报模板的单位。"))
        if units.count() == 1:
            return redirect("supervision:notice_template", unit_id=first.pk)
        return _render(request, "notice_template.html", {"page_title": _("通报模板"), "units": units})
    unit = units.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("单位不存在或无权设置其通报模板。"))
    current = notices.template_for(unit)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                notices.do_save_template(unit, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                from govsite.core.admin_helpers import add_service_errors

                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存“%(unit)s”的通报模板。") % {"unit": unit.name})
                return redirect("supervision:notice_template", unit_id=unit.pk)
    else:
        form = TemplateForm(initial={"title": current.title, "document_number": current.document_number,
                                     "body": current.body, "issuer": current.issuer})
    return _render(request, "notice_template.html", {
        "page_title": _("通报模板"), "page_subtitle": unit.name, "unit": unit, "form": form,
        "is_default": not current.saved, "placeholders": notices.PLACEHOLDERS.items(),
        "block_placeholders": notices.BLOCK_PLACEHOLDERS.items(),
        "units": units if units.count() > 1 else None,
    })


urlpatterns = [
    path("notices/", notice_list, name="notices"),
    path("campaigns/<int:campaign_id>/notice/", notice_generate, name="notice_generate"),
    path("notices/<int:notice_id>/", notice_detail, name="notice"),
    path("notices/<int:notice_id>/download/<str:kind>/", notice_download, name="notice_download"),
    path("notices/<int:notice_id>/publish/", notice_publish, name="notice_publish"),
    path("notices/template/", notice_template, name="notice_template"),
    path("notices/template/<int:unit_id>/", notice_template, name="notice_template"),
]
