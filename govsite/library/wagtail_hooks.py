"""信息报送 in the admin menu and URLs (/admin/library/…), for the staff of hosted sites."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .access import staff_websites

urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("<int:pk>/", views.detail, name="detail"),
]


@hooks.register("register_admin_urls")
def register_library_urls() -> list:
    return [path("library/", include((urlpatterns, "library"), namespace="library"))]


class LibraryMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return staff_websites(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_library_menu_item() -> MenuItem:
    return LibraryMenuItem(_("信息报送"), reverse_lazy("library:index"), name="library", icon_name="doc-full",
                           order=160)
