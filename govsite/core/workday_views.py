"""工作日调整 in the admin: Wagtail's generic model views, gated by `workdays.may_edit_calendar` and writing
through the audited `do_*` operations (never through Wagtail's own save actions, which would skip the audit
entry's actor and the cache)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from . import workdays
from .models import Capability, RoleDefinition, WorkdayOverride


def _platform_admins_only(view: Callable) -> Callable:
    @wraps(view)
    def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not workdays.may_edit_calendar(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return gated


class CalendarPermissionPolicy(BasePermissionPolicy):
    """Every action on the calendar (view, add, change, delete) is the platform admins' (修改系统配置)."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return workdays.may_edit_calendar(user)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return workdays.may_edit_calendar(user)

    def users_with_any_permission(self, actions: Any) -> QuerySet:
        roles = [r.code for r in RoleDefinition.objects.all() if r.grants(Capability.CONFIG_CHANGE)]
        return get_user_model().objects.filter(is_active=True).filter(
            Q(is_superuser=True) | Q(role_assignments__role__in=roles)).distinct()

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return workdays.may_edit_calendar(user)

    def user_has_any_permission_for_instance(self, user: Any, actions: Any, instance: Any) -> bool:
        return workdays.may_edit_calendar(user)

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet:
        return WorkdayOverride.objects.all() if workdays.may_edit_calendar(user) else WorkdayOverride.objects.none()

    def users_with_any_permission_for_instance(self, actions: Any, instance: Any) -> QuerySet:
        return self.users_with_any_permission(actions)


class OverrideIndexView(generic.IndexView):
    def get_context_data(self, **kwargs: Any) -> dict:
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        uncovered = workdays.uncovered_years([this_year, this_year + 1])
        if uncovered:
            known = workdays.covered_years()
            context["calendar_warning"] = gettext(
                "节假日数据只包含 %(first)s–%(last)s 年。%(years)s 年未包含：在录入国务院办公厅的节假日安排之前，"
                "这些年份按周一至周五上班、周末休息计算。") % {
                "first": known.start, "last": known.stop - 1, "years": "、".join(map(str, uncovered))}
        return context


class OverrideCreateView(generic.CreateView):
    def save_instance(self) -> WorkdayOverride:
        return workdays.do_save_workday_override(self.form.instance, by=self.request.user, request=self.request)


class OverrideEditView(generic.EditView):
    def save_instance(self) -> WorkdayOverride:
        return workdays.do_save_workday_override(self.form.instance, by=self.request.user, request=self.request)


class OverrideDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        workdays.do_delete_workday_override(self.object, by=self.request.user, request=self.request)


class WorkdayOverrideViewSet(ModelViewSet):
    model = WorkdayOverride
    icon = "date"
    menu_label = _("工作日调整")
    menu_order = 880
    add_to_admin_menu = True
    name = "workdays"
    form_fields = ["date", "is_workday", "note"]
    list_display = ["date", Column("kind_label", label=_("安排")), "note", "changed_by", "changed_at"]
    list_filter = ["is_workday"]
    copy_view_enabled = False
    index_view_class = OverrideIndexView
    add_view_class = OverrideCreateView
    edit_view_class = OverrideEditView
    delete_view_class = OverrideDeleteView
    index_template_name = "core/workday_index.html"

    def get_urlpatterns(self) -> list:
        # Wagtail turns a refusal into a redirect with a message; here, as for the audit log, the pages do
        # not exist for anyone else (404), before any of Wagtail's views runs.
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = _platform_admins_only(pattern.callback)
        return patterns

    def get_permissions_to_register(self) -> QuerySet:
        # Group permissions would suggest a way in that the policy does not honour.
        return super().get_permissions_to_register().none()
