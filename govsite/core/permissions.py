"""Mapping roles onto Wagtail groups, so that Wagtail's own admin (page tree, images, documents) is scoped by the
same role assignments that `access.py` reads.

A role of platform, unit or assigned-websites scope has one platform-wide group named after it, carrying the
model permissions its `RoleDefinition` lists (row scope comes from the apps' access.py). A role of website
scope has one group per hosted site (`HostedSiteGroup`), built by `content.permissions.ensure_site_groups`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .models import Capability, HostedSiteGroup, RoleAssignment, RoleDefinition, ScopeKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

# Wagtail page and collection permissions, shared by the platform groups here and the site groups (content).
SITE_ADMIN_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page",
                               "bulk_delete_page")
COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)
SITE_ADMIN_EXTRA_COLLECTION = ("wagtailimages.delete_image", "wagtaildocs.delete_document")


def perms(codes: tuple[str, ...] | list[str]) -> list[Permission]:
    """Permission objects for "app_label.codename" strings (each must exist)."""
    found = []
    for code in codes:
        app_label, codename = code.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def has_platform_group(role: RoleDefinition) -> bool:
    return role.scope_kind not in (ScopeKind.WEBSITE, ScopeKind.CASE_QUERY_CODE)


def ensure_global_group(role: RoleDefinition) -> Group:
    """The platform-wide group of a role (named after it), with the model permissions the role lists."""
    group, _ = Group.objects.get_or_create(name=role.name)
    group.permissions.add(*perms(role.model_permissions))
    if role.grants(Capability.SCOPE_ALL):
        # Operators of the whole platform work in every site's page tree and media.
        root_page = Page.get_first_root_node()
        root_collection = Collection.get_first_root_node()
        for codename in SITE_ADMIN_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename)
            )
        for perm in perms(COLLECTION_PERMISSIONS + SITE_ADMIN_EXTRA_COLLECTION):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection, permission=perm)
    return group


def unhosted_group_name(role: RoleDefinition) -> str:
    return f"{role.name}（未托管网站）"


def ensure_unhosted_site_group(role: RoleDefinition) -> Group:
    """The one group of a website-scope role on sites the platform does not host: the role's model permissions
    (admin access, reading the registry entry and monitoring results), no page or collection permission; rows
    are scoped by `core.access` like everywhere else."""
    group, _created = Group.objects.get_or_create(name=unhosted_group_name(role))
    group.permissions.add(*existing_perms(role.model_permissions))
    return group


def sync_user_groups(user: AbstractUser) -> None:
    """Make the user's membership of managed groups match their role assignments; other groups stay."""
    wanted: set[int] = set()
    for assignment in RoleAssignment.objects.filter(user=user).select_related("role"):
        if has_platform_group(assignment.role):
            wanted.add(ensure_global_group(assignment.role).pk)
        elif assignment.website_id:
            link = HostedSiteGroup.objects.filter(website_id=assignment.website_id, role=assignment.role_id).first()
            if link:
                wanted.add(link.group_id)
            elif assignment.role.scope_kind == ScopeKind.WEBSITE:
                # A site the platform does not host has no site groups; its staff still need the admin (工作台,
                # their site's monitoring results and 整改工单), with the role's model permissions and no pages.
                wanted.add(ensure_unhosted_site_group(assignment.role).pk)
    roles = list(RoleDefinition.objects.all())
    platform_names = [r.name for r in roles if has_platform_group(r)]
    unhosted_names = [unhosted_group_name(r) for r in roles if r.scope_kind == ScopeKind.WEBSITE]
    managed = set(HostedSiteGroup.objects.values_list("group_id", flat=True)) | set(
        Group.objects.filter(name__in=platform_names + unhosted_names).values_list("pk", flat=True)
    )
    current = set(user.groups.values_list("pk", flat=True))
    to_remove = (current & managed) - wanted
    to_add = wanted - current
    if to_remove:
        user.groups.remove(*to_remove)
    if to_add:
        user.groups.add(*to_add)


def refresh_role_group_permissions() -> None:
    """Give existing role groups the permissions their role has now (after an upgrade added some).

    Runs after every `migrate` (see apps.py), once the new permissions exist.
    """
    roles = {r.code: r for r in RoleDefinition.objects.all()}
    for role in roles.values():
        if has_platform_group(role):
            group = Group.objects.filter(name=role.name).first()
            if group is not None:
                group.permissions.add(*existing_perms(role.model_permissions))
        elif role.scope_kind == ScopeKind.WEBSITE:
            group = Group.objects.filter(name=unhosted_group_name(role)).first()
            if group is not None:
                group.permissions.add(*existing_perms(role.model_permissions))
    for link in HostedSiteGroup.objects.select_related("group"):
        role = roles.get(link.role)
        if role is not None:
            link.group.permissions.add(*existing_perms(role.model_permissions))


def existing_perms(codes: tuple[str, ...] | list[str]) -> list[Permission]:
    """Like perms, but skips permissions not created yet (mid-migrate, before their app's post_migrate)."""
    q = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".")
        q |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(q))
