"""Core's own admin pages in Wagtail: the 审计日志 viewer and the 工作日调整 calendar (scope rules live in each
app's wagtail_hooks)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

# --- 审计日志 (audit_views.py): the 审计管理员's viewer and export ---------------------------------------------

@hooks.register("register_admin_urls")
def register_audit_urls() -> list:
    from . import audit_views

    patterns = [
        path("", audit_views.audit_index, name="index"),
        path("export/", audit_views.audit_export, name="export"),
    ]
    return [path("audit/", include((patterns, "audit_log"), namespace="audit_log"))]


class AuditMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        from .access import may_read_audit

        return may_read_audit(request.user)


@hooks.register("register_admin_menu_item")
def register_audit_menu_item() -> MenuItem:
    return AuditMenuItem(_("审计日志"), reverse_lazy("audit_log:index"), name="audit-log", icon_name="history",
                         order=900)


# --- 工作日调整 (workday_views.py): platform admins keep the working-day calendar ---------------------------------

@hooks.register("register_admin_viewset")
def register_workday_viewset() -> object:
    from wagtail.permissions import register_permission_policy

    from .models import WorkdayOverride
    from .workday_views import CalendarPermissionPolicy, WorkdayOverrideViewSet

    register_permission_policy(WorkdayOverride, CalendarPermissionPolicy(WorkdayOverride))
    return WorkdayOverrideViewSet()
