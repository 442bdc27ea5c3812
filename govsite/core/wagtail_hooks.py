"""Scope rules that hook into Wagtail itself."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

# --- 本站人员 (views.py) --------------------------------------------------------------------------------------

@hooks.register("register_admin_urls")
def register_staff_urls() -> list:
    from . import views

    patterns = [
        path("", views.staff_home, name="home"),
        path("<int:website_id>/", views.staff_index, name="index"),
        path("<int:website_id>/<int:user_id>/deactivate/", views.staff_deactivate, name="deactivate"),
    ]
    return [path("staff/", include((patterns, "site_staff"), namespace="site_staff"))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        from govsite.registry.access import websites_staffed_by

        from .access import is_platform_admin

        # Platform administrators use Wagtail's own user admin for every account.
        return not is_platform_admin(request.user) and websites_staffed_by(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_staff_menu_item() -> MenuItem:
    return StaffMenuItem(_("本站人员"), reverse_lazy("site_staff:home"), name="site-staff", icon_name="group",
                         order=170)


# --- 工作台 (workbench.py) ------------------------------------------------------------------------------------

# Wagtail's own moderation panels list every task state the user may act on, with columns for features this
# platform does not use; the 工作台 panels replace them, scoped through access.py.
REPLACED_HOME_PANELS = frozenset({"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"})


@hooks.register("construct_homepage_panels")
def workbench_panels(request: HttpRequest, panels: list) -> None:
    from .workbench import panels_for

    panels[:] = [p for p in panels if getattr(p, "name", "") not in REPLACED_HOME_PANELS]
    panels.extend(panels_for(request))
