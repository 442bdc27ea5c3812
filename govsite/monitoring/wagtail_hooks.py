"""Hooks that put the 网站监测 result pages into the Wagtail admin (/admin/monitoring/…) and its menu."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export_dashboard, name="export"),
    path("scan/", views.scan_now, name="scan"),
    path("site/<int:pk>/", views.site_detail, name="site"),
    path("site/<int:pk>/scan/", views.scan_now, name="site_scan"),
    path("run/<int:pk>/", views.run_detail, name="run"),
    path("run/<int:pk>/export/", views.export_run, name="run_export"),
    path("run/<int:pk>/finding/<int:finding_pk>/screenshot/", views.finding_screenshot, name="finding_screenshot"),
]


@hooks.register("register_admin_urls")
def register_monitoring_urls() -> list:
    return [path("monitoring/", include((urlpatterns, "monitoring"), namespace="monitoring"))]


class MonitoringMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_monitoring_menu_item() -> MenuItem:
    return MonitoringMenuItem(_("网站监测"), reverse_lazy("monitoring:dashboard"), name="monitoring",
                              icon_name="pick", order=160)
