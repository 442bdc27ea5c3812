"""Hooks that put 网站监管 (/admin/supervision/…) into the Wagtail admin."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import views_campaigns, views_dashboard, views_indicators, views_notices, views_tickets
from .access import may_run_campaigns, tickets_visible_to

urlpatterns = [
    *views_dashboard.urlpatterns,
    *views_campaigns.urlpatterns,
    *views_notices.urlpatterns,
    *views_tickets.urlpatterns,
    *views_indicators.urlpatterns,
]


@hooks.register("register_admin_urls")
def register_supervision_urls() -> list:
    return [path("supervision/", include((urlpatterns, "supervision"), namespace="supervision"))]


class SupervisorMenuItem(MenuItem):
    """Shown to supervisors and platform admins (抽查, 通报, 指标体系, 总览)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return may_run_campaigns(request.user)


class TicketsMenuItem(MenuItem):
    """整改工单: also for site staff, who answer their site's tickets."""

    def is_shown(self, request: HttpRequest) -> bool:
        if not request.user.is_authenticated:
            return False
        return may_run_campaigns(request.user) or tickets_visible_to(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_supervision_menu() -> SubmenuMenuItem:
    menu = Menu(items=[
        SupervisorMenuItem(_("监管总览"), reverse_lazy("supervision:dashboard"), name="supervision-dashboard",
                           icon_name="view", order=10),
        SupervisorMenuItem(_("抽查活动"), reverse_lazy("supervision:campaigns"), name="supervision-campaigns",
                           icon_name="tasks", order=20),
        TicketsMenuItem(_("整改工单"), reverse_lazy("supervision:tickets"), name="supervision-tickets",
                        icon_name="warning", order=30),
        SupervisorMenuItem(_("通报"), reverse_lazy("supervision:notices"), name="supervision-notices",
                           icon_name="doc-full", order=40),
        SupervisorMenuItem(_("指标体系"), reverse_lazy("supervision:indicator_sets"), name="supervision-indicators",
                           icon_name="list-ol", order=50),
    ])
    return SubmenuMenuItem(_("网站监管"), menu, name="supervision", icon_name="tasks", order=165)
