"""角色分配 and 开通托管网站: the scoped admin pages of two platform operations.

- /admin/roles/: a user assigns and revokes only the roles their own roles let them assign, over scopes
  within their own (`core.services.check_assign_role`); the list shows only assignments within that scope.
- /admin/hosting/: platform operators (系统管理员, 平台管理员) turn a registry entry into a hosted site.
Both go through the audited services; nothing here changes data by itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from govsite.content.services import do_provision_hosted_site, may_provision_sites
from govsite.core.admin_helpers import add_service_errors
from govsite.core.models import RoleAssignment, ScopeKind, Unit
from govsite.core.services import (
    assignable_roles_for,
    assignment_covers,
    authority_of,
    do_assign_role,
    do_revoke_role,
)
from govsite.core.unit_tree import UnitTreeChoiceField
from govsite.registry.access import access_website
from govsite.registry.models import Website

# --- 角色分配 --------------------------------------------------------------------------------------------------


def _authority_or_403(user: Any) -> list[RoleAssignment]:
    held = authority_of(user)
    if not held:
        raise PermissionDenied
    return held


def _has_platform_authority(held: list[RoleAssignment]) -> bool:
    return any(a.role.scope_kind == ScopeKind.PLATFORM for a in held)


def units_in_authority(held: list[RoleAssignment]) -> QuerySet[Unit]:
    if _has_platform_authority(held):
        return Unit.objects.all()
    q = Q(pk__in=[])
    for a in held:
        if a.role.scope_kind == ScopeKind.UNIT_SUBTREE and a.unit is not None:
            q |= Q(path__startswith=a.unit.path)
        elif a.role.scope_kind == ScopeKind.UNIT and a.unit_id:
            q |= Q(pk=a.unit_id)
    return Unit.objects.filter(q)


def websites_in_authority(held: list[RoleAssignment]) -> QuerySet[Website]:
    if _has_platform_authority(held):
        return Website.objects.all()
    q = Q(pk__in=[a.website_id for a in held if a.website_id])
    for a in held:
        if a.role.scope_kind == ScopeKind.UNIT_SUBTREE and a.unit is not None:
            q |= Q(owner_unit__path__startswith=a.unit.path)
        elif a.role.scope_kind == ScopeKind.UNIT and a.unit_id:
            q |= Q(owner_unit_id=a.unit_id)
    return Website.objects.filter(q)


def _covered(held: list[RoleAssignment], assignment: RoleAssignment) -> bool:
    return any(assignment_covers(a, assignment.role, assignment.unit, assignment.website) for a in held)


def assignments_in_authority(held: list[RoleAssignment]) -> list[RoleAssignment]:
    """The assignments whose scope lies within the actor's (the list of the page)."""
    queryset = RoleAssignment.objects.select_related("user", "role", "unit", "website__owner_unit")
    if not _has_platform_authority(held):
        queryset = queryset.filter(Q(unit__in=units_in_authority(held)) | Q(website__in=websites_in_authority(held)))
    return [a for a in queryset.order_by("role__order", "user__username") if _covered(held, a)]


class AssignRoleForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"))
    unit = UnitTreeChoiceField(label=_("机构"), queryset=Unit.objects.none(), required=False,
                               help_text=_("按机构授权的角色（如监管人员）填写。"))
    website = forms.ModelChoiceField(label=_("网站"), queryset=Website.objects.none(), required=False,
                                     help_text=_("按网站授权的角色（网站管理员、编辑、审核人员、第三方评估人员）填写。"))

    def __init__(self, *args: Any, held: list[RoleAssignment], actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles = {r.code: r for r in assignable_roles_for(actor)}
        self.fields["role"].choices = [("", "---------")] + [(r.code, r.name) for r in self.roles.values()]
        self.fields["unit"].queryset = units_in_authority(held).select_related("region")
        self.fields["website"].queryset = websites_in_authority(held).order_by("site_code")

    def clean_role(self) -> Any:
        return self.roles[self.cleaned_data["role"]]


def _target_user(held: list[RoleAssignment], username: str) -> Any:
    """An account the actor may give a role: any, for platform-wide authority; otherwise one that holds no role
    outside the actor's scope. Either way an unknown name and an account out of scope read the same."""
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is not None and (_has_platform_authority(held) or all(
            _covered(held, a) for a in RoleAssignment.objects.filter(user=user).select_related("role", "unit",
                                                                                                 "website"))):
        return user
    raise ValidationError({"username": "用户不存在或不在您的管理范围内。"})


def role_index(request: HttpRequest) -> HttpResponse:
    held = _authority_or_403(request.user)
    form = AssignRoleForm(request.POST or None, held=held, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = _target_user(held, data["username"])
            role = data["role"]
            unit = data["unit"] if role.scope_kind in (ScopeKind.UNIT_SUBTREE, ScopeKind.UNIT) else None
            website = data["website"] if role.scope_kind in (ScopeKind.WEBSITE,
                                                             ScopeKind.ASSIGNED_WEBSITES) else None
            do_assign_role(user, role, unit=unit, website=website, by=request.user, request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("无权分配该角色。"))
        else:
            messages.success(request, _("已为 %(user)s 分配角色“%(role)s”。") % {
                "user": user.get_username(), "role": role.name})
            return redirect("roles:index")
    return TemplateResponse(request, "adminui/roles.html", {
        "page_title": _("角色分配"), "header_icon": "key", "form": form,
        "assignments": assignments_in_authority(held)})


@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    held = _authority_or_403(request.user)
    assignment = next((a for a in assignments_in_authority(held) if a.pk == pk), None)
    if assignment is None:
        raise Http404("角色分配不存在或无权访问。")
    try:
        do_revoke_role(assignment, by=request.user, request=request)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销 %(user)s 的角色“%(role)s”。") % {
            "user": assignment.user.get_username(), "role": assignment.role.name})
    return redirect("roles:index")


# --- 开通托管网站 ------------------------------------------------------------------------------------------------


class ProvisionForm(forms.Form):
    hostname = forms.CharField(label=_("托管域名"), max_length=255, required=False,
                               help_text=_("留空则使用网站基本信息库中的首页地址的域名。"))


def _may_provision_or_403(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not may_provision_sites(request.user):
        raise PermissionDenied


def hosting_index(request: HttpRequest) -> HttpResponse:
    _may_provision_or_403(request)
    websites = Website.objects.filter(wagtail_site__isnull=True).select_related("owner_unit").order_by("site_code")
    return TemplateResponse(request, "adminui/hosting_index.html", {
        "page_title": _("开通托管网站"), "header_icon": "site", "websites": websites})


def hosting_provision(request: HttpRequest, website_id: int) -> HttpResponse:
    _may_provision_or_403(request)
    website = access_website(request.user, pk=website_id)
    if website.wagtail_site_id:
        raise Http404("该网站已开通托管。")
    form = ProvisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = do_provision_hosted_site(website, by=request.user, request=request,
                                            hostname=form.cleaned_data["hostname"].strip().lower() or None)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已开通“%(name)s”的托管网站（%(host)s）。") % {
                "name": website.name, "host": site.hostname})
            return redirect("hosting:index")
    return TemplateResponse(request, "adminui/hosting_provision.html", {
        "page_title": _("开通托管网站"), "page_subtitle": website.name, "header_icon": "site",
        "website": website, "form": form})
