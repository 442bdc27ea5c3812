"""Hooks that put the 网站基本信息库 pages into the Wagtail admin (/admin/registry/…) and its menu."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.create, name="create"),
    path("import/", views.import_websites, name="import"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/security-test/", views.add_security_test, name="security_test"),
    path("<int:pk>/columns/", views.edit_columns, name="columns"),
]


@hooks.register("register_admin_urls")
def register_registry_urls() -> list:
    return [path("registry/", include((urlpatterns, "registry"), namespace="registry"))]


class RegistryMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("registry.view_website")


@hooks.register("register_admin_menu_item")
def register_registry_menu_item() -> MenuItem:
    return RegistryMenuItem(_("网站基本信息库"), reverse_lazy("registry:index"), name="registry",
                            icon_name="site", order=150)


# --- 本站人员 (staff_views.py) ----------------------------------------------------------------------------------

@hooks.register("register_admin_urls")
def register_staff_urls() -> list:
    from . import staff_views

    patterns = [
        path("", staff_views.staff_home, name="home"),
        path("<int:website_id>/", staff_views.staff_index, name="index"),
        path("<int:website_id>/<int:user_id>/deactivate/", staff_views.staff_deactivate, name="deactivate"),
        path("<int:website_id>/review-levels/", staff_views.staff_review_levels, name="review_levels"),
    ]
    return [path("staff/", include((patterns, "site_staff"), namespace="site_staff"))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        from govsite.core.access import is_platform_admin

        from .access import websites_staffed_by

        # Platform administrators use Wagtail's own user admin for every account.
        return not is_platform_admin(request.user) and websites_staffed_by(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_staff_menu_item() -> MenuItem:
    return StaffMenuItem(_("本站人员"), reverse_lazy("site_staff:home"), name="site-staff", icon_name="group",
                         order=170)
