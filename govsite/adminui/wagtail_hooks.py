"""Admin pages and panels that combine several domains: 工作台, 角色分配, 开通托管网站."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

# --- 工作台 (workbench.py) ------------------------------------------------------------------------------------

# Wagtail's own moderation panels list every task state the user may act on, with columns for features this
# platform does not use; the 工作台 panels replace them, scoped through access.py.
REPLACED_HOME_PANELS = frozenset({"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"})


@hooks.register("construct_homepage_panels")
def workbench_panels(request: HttpRequest, panels: list) -> None:
    from .workbench import panels_for

    panels[:] = [p for p in panels if getattr(p, "name", "") not in REPLACED_HOME_PANELS]
    panels.extend(panels_for(request))


# --- 角色分配, 开通托管网站 (roles.py) -------------------------------------------------------------------------------

@hooks.register("register_admin_urls")
def register_role_and_hosting_urls() -> list:
    from . import roles

    role_patterns = [
        path("", roles.role_index, name="index"),
        path("<int:pk>/revoke/", roles.role_revoke, name="revoke"),
    ]
    hosting_patterns = [
        path("", roles.hosting_index, name="index"),
        path("<int:website_id>/", roles.hosting_provision, name="provision"),
    ]
    return [
        path("roles/", include((role_patterns, "roles"), namespace="roles")),
        path("hosting/", include((hosting_patterns, "hosting"), namespace="hosting")),
    ]


class RolesMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        from govsite.core.models import Capability, ScopeKind
        from govsite.core.services import authority_of

        # Site administrators assign their staff's roles on 本站人员; this page is for wider scopes.
        return any(a.role.scope_kind != ScopeKind.WEBSITE and a.role.grants(Capability.ROLES_ASSIGN)
                   for a in authority_of(request.user))


class HostingMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        from govsite.content.services import may_provision_sites

        return may_provision_sites(request.user)


@hooks.register("register_admin_menu_item")
def register_roles_menu_item() -> MenuItem:
    return RolesMenuItem(_("角色分配"), reverse_lazy("roles:index"), name="roles", icon_name="key", order=175)


@hooks.register("register_admin_menu_item")
def register_hosting_menu_item() -> MenuItem:
    return HostingMenuItem(_("开通托管网站"), reverse_lazy("hosting:index"), name="hosting", icon_name="site",
                           order=155)
