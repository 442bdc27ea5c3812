"""Who creates what in a hosted site's page tree: editors write 信息, the site's administrators make 栏目."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages

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
