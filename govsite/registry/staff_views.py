"""本站人员: a site administrator adds and deactivates the editors and reviewers of their own site."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from govsite.checks.review import REVIEW_LEVELS, do_set_review_levels, review_levels
from govsite.core.access import role_name
from govsite.core.admin_helpers import add_service_errors
from govsite.core.models import RoleAssignment

from . import staff as services
from .access import access_staffed_website, websites_staffed_by


class StaffForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(code, role_name(code)) for code in services.STAFF_ROLES]

    full_name = forms.CharField(label=_("姓名"), max_length=60)
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，字母、数字或 @/./+/-/_。"))
    role = forms.ChoiceField(label=_("角色"), choices=())
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False),
                               help_text=_("至少 8 位，不能全为数字；请当面告知本人并提醒其登录后修改。"))


class ReviewLevelsForm(forms.Form):
    levels = forms.TypedChoiceField(
        label=_("审核级数"), coerce=int, widget=forms.RadioSelect,
        choices=[(n, f"{n} 级：" + " → ".join(steps)) for n, steps in REVIEW_LEVELS.items()],
        help_text=_("发布前依次经过：自动内容检查，再逐级人工审核，最后一级固定为保密审查；各级须由不同人员完成。"
                    "修改后，正在审核中的稿件需重新提交。"))


def staff_home(request: HttpRequest) -> HttpResponse:
    """The sites whose staff the user manages; straight to the one when there is only one."""
    websites = list(websites_staffed_by(request.user).order_by("site_code"))
    if not websites:
        raise PermissionDenied
    if len(websites) == 1:
        return redirect("site_staff:index", website_id=websites[0].pk)
    return TemplateResponse(request, "registry/staff_sites.html", {
        "page_title": _("本站人员"), "header_icon": "group", "websites": websites})


def staff_index(request: HttpRequest, website_id: int) -> HttpResponse:
    website = access_staffed_website(request.user, website_id)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.do_add_site_staff(website, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加%(role)s“%(name)s”（用户名 %(username)s）。") % {
                "role": role_name(form.cleaned_data["role"]), "name": form.cleaned_data["full_name"],
                "username": user.get_username()})
            return redirect("site_staff:index", website_id=website.pk)
    rows = [{"user": user, "roles": [role_name(r) for r in roles],
             "name": f"{user.last_name}{user.first_name}" or user.get_username(),
             "can_deactivate": user.pk != request.user.pk and any(r in services.STAFF_ROLES for r in roles)}
            for user, roles in services.site_staff(website)]
    levels = review_levels(website)
    return TemplateResponse(request, "registry/staff_index.html", {
        "page_title": _("本站人员"), "page_subtitle": website.name, "header_icon": "group",
        "website": website, "rows": rows, "form": form,
        "levels_form": ReviewLevelsForm(initial={"levels": levels}) if website.wagtail_site_id else None,
        "review_steps": REVIEW_LEVELS.get(levels or 0, ()),
    })


@require_POST
def staff_review_levels(request: HttpRequest, website_id: int) -> HttpResponse:
    """设置审核级数: the site admin chooses two to four levels, 保密审查 always the last."""
    website = access_staffed_website(request.user, website_id)
    form = ReviewLevelsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择 2 至 4 级审核。"))
        return redirect("site_staff:index", website_id=website.pk)
    try:
        do_set_review_levels(website, form.cleaned_data["levels"], by=request.user, request=request)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(request, _("审核流程已设为：%(steps)s。") % {
            "steps": " → ".join(("自动内容检查", *REVIEW_LEVELS[form.cleaned_data["levels"]]))})
    return redirect("site_staff:index", website_id=website.pk)


@require_POST
def staff_deactivate(request: HttpRequest, website_id: int, user_id: int) -> HttpResponse:
    website = access_staffed_website(request.user, website_id)
    # Only users holding a role on this very site are found at all: other sites' users answer 404.
    user = get_object_or_404(get_user_model(), pk=user_id,
                             pk__in=RoleAssignment.objects.filter(website=website).values("user_id"))
    try:
        services.do_deactivate_site_staff(website, user, by=request.user, request=request)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已停用“%(name)s”在本网站的角色。") % {
            "name": f"{user.last_name}{user.first_name}" or user.get_username()})
    return redirect("site_staff:index", website_id=website.pk)
