"""Who creates what in a hosted site's page tree: editors write 信息, the site's administrators make 栏目."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from govsite.content.access import website_for_page
from govsite.core.access import is_platform_admin, site_roles
from govsite.core.models import Role

from .models import ColumnPage


def may_create_columns(user: Any, parent: Any) -> bool:
    """栏目 are the site's structure: its 网站管理员 (or a platform administrator) creates them, not editors."""
    if is_platform_admin(user):
        return True
    website = website_for_page(parent)
    return website is not None and Role.SITE_ADMIN in site_roles(user, website)


@hooks.register("before_create_page")
def refuse_columns_to_editors(request: HttpRequest, parent_page: Any, page_class: type) -> HttpResponse | None:
    if not issubclass(page_class, ColumnPage) or may_create_columns(request.user, parent_page):
        return None
    messages.error(request, _("编辑人员只能新建信息；栏目由本网站的网站管理员新建。"))
    return redirect("wagtailadmin_explore", parent_page.pk)


def _fixed_structure_columns(pages: Any) -> list[str]:
    from .disclosure_columns import FIXED_NAME_KINDS

    titles = []
    for page in pages:
        scope = ColumnPage.objects.descendant_of(page, inclusive=True).filter(column_kind__in=FIXED_NAME_KINDS)
        titles += [c.title for c in scope]
    return titles


@hooks.register("before_delete_page")
def keep_disclosure_structure(request: HttpRequest, page: Any) -> HttpResponse | None:
    """政府信息公开's uniform columns (统一名称、统一格式) are the platform's: no site deletes them (a platform
    administrator may, e.g. with the whole site)."""
    titles = _fixed_structure_columns([page])
    if not titles or is_platform_admin(request.user):
        return None
    messages.error(request, _("“%(title)s”是政府信息公开的统一栏目，不能删除。") % {"title": titles[0]})
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_bulk_action")
def keep_disclosure_structure_in_bulk(request: HttpRequest, action_type: str, objects: Any,
                                      action_class_instance: Any) -> HttpResponse | None:
    if action_type != "delete" or is_platform_admin(request.user):
        return None
    titles = _fixed_structure_columns(objects)
    if not titles:
        return None
    messages.error(request, _("“%(title)s”是政府信息公开的统一栏目，不能删除。") % {"title": titles[0]})
    return redirect("wagtailadmin_home")


# --- 主动公开时限 (disclosure_views.py) -----------------------------------------------------------------------

@hooks.register("register_admin_urls")
def register_disclosure_clock_urls() -> list:
    from django.urls import path

    from .disclosure_views import clock_index

    return [path("disclosure-clock/", clock_index, name="disclosure_clock")]


class DisclosureClockMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        from .disclosure_views import may_see_clock

        return may_see_clock(request.user)


@hooks.register("register_admin_menu_item")
def register_disclosure_clock_menu_item() -> MenuItem:
    return DisclosureClockMenuItem(_("主动公开时限"), reverse_lazy("disclosure_clock"), name="disclosure-clock",
                                   icon_name="time", order=165)


# --- scope of Wagtail's own views (admin_scope.py) -------------------------------------------------------------

@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages: Any, request: HttpRequest) -> Any:
    """页面选择器 (browse and search): the user's own sites' pages; published pages only for supervisors."""
    from .admin_scope import scope_pages

    return scope_pages(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page: Any, pages: Any, request: HttpRequest) -> Any:
    from .admin_scope import scope_pages

    return scope_pages(pages, request.user)


@hooks.register("construct_document_chooser_queryset")
def scope_document_chooser(documents: Any, request: HttpRequest) -> Any:
    from .admin_scope import scope_media

    return scope_media(documents, request.user)


@hooks.register("construct_image_chooser_queryset")
def scope_image_chooser(images: Any, request: HttpRequest) -> Any:
    from .admin_scope import scope_media

    return scope_media(images, request.user)


# --- file downloads (links.py) ---------------------------------------------------------------------------------

@hooks.register("before_serve_document")
def serve_document_within_scope(document: Any, request: HttpRequest) -> None:
    """Files awaiting review (e.g. 保密审查) are not downloadable by guessing their URL: only staff of the
    site that owns them may fetch them until a published page *of that site* links to them."""
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    from .links import document_is_public

    if document_is_public(document):
        return None
    permission_policy = policy_registry.get_by_type(get_document_model())
    if permission_policy.user_has_any_permission_for_instance(request.user, ["change", "choose"], document):
        return None
    raise Http404("文件不存在或尚未公开。")
