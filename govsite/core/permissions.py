"""Mapping platform roles onto Wagtail groups, so that Wagtail's own admin (page tree, images, documents)
is scoped by the same role assignments that `access.py` reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
)

from .models import SITE_ROLES, HostedSiteGroup, Role, RoleAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from govsite.registry.models import Website

PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.EDITOR: ("add_page", "change_page"),
    Role.REVIEWER: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    Role.SITE_ADMIN: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"),
}
COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)
SITE_ADMIN_EXTRA_COLLECTION = ("wagtailimages.delete_image", "wagtaildocs.delete_document")
SITE_ADMIN_SETTINGS = ("content.change_siteappearance",)

# Platform-wide groups and their model permissions; row scope comes from access.py.
GLOBAL_GROUPS: dict[str, tuple[str, ...]] = {
    Role.PLATFORM_ADMIN: (
        "wagtailadmin.access_admin",
        "registry.view_website",
        "registry.add_website",
        "registry.change_website",
        "registry.import_website",
        "registry.change_website_status",
        "registry.view_securitytest",
        "registry.add_securitytest",
        "checks.view_lexiconentry",
        "checks.add_lexiconentry",
        "checks.change_lexiconentry",
        "checks.import_lexiconentry",
        "monitoring.view_scanrun",
        "content.change_siteappearance",
        "wagtailcore.add_site",
        "wagtailcore.change_site",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
    ),
    Role.SUPERVISOR: (
        "wagtailadmin.access_admin",
        "registry.view_website",
        "registry.add_website",
        "registry.change_website",
        "registry.import_website",
        "registry.change_website_status",
        "registry.view_securitytest",
        "registry.add_securitytest",
        "checks.view_lexiconentry",
        "checks.add_lexiconentry",
        "checks.change_lexiconentry",
        "checks.import_lexiconentry",
        "monitoring.view_scanrun",
    ),
    Role.EVALUATOR: (
        "wagtailadmin.access_admin",
        "registry.view_website",
        "registry.view_securitytest",
        "monitoring.view_scanrun",
    ),
}
GLOBAL_GROUP_NAMES = {
    Role.PLATFORM_ADMIN: "平台管理员",
    Role.SUPERVISOR: "监管人员",
    Role.EVALUATOR: "第三方评估人员",
}
# Site staff read their own site's 网站监测 results (row scope from access.py, like everything else).
SITE_BASE_PERMISSIONS = ("wagtailadmin.access_admin", "registry.view_website", "monitoring.view_scanrun")


def _perms(codes: tuple[str, ...]) -> list[Permission]:
    found = []
    for code in codes:
        app_label, codename = code.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def ensure_global_group(role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=GLOBAL_GROUP_NAMES[role])
    group.permissions.add(*_perms(GLOBAL_GROUPS[role]))
    if role == Role.PLATFORM_ADMIN:
        root_page = Page.get_first_root_node()
        root_collection = Collection.get_first_root_node()
        for codename in PAGE_PERMISSIONS[Role.SITE_ADMIN]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename)
            )
        for perm in _perms(COLLECTION_PERMISSIONS + SITE_ADMIN_EXTRA_COLLECTION):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection, permission=perm)
    return group


@transaction.atomic
def ensure_site_groups(website: Website, root_page: Page, collection: Collection) -> dict[str, Group]:
    """Create (or repair) the site admin / editor / reviewer groups of one hosted site."""
    groups = {}
    for role in SITE_ROLES:
        link = HostedSiteGroup.objects.filter(website=website, role=role).select_related("group").first()
        if link is None:
            group, _ = Group.objects.get_or_create(name=f"{website.site_code} {website.name} {role.label}"[:150])
            link = HostedSiteGroup.objects.create(website=website, role=role, group=group)
        group = link.group
        group.permissions.add(*_perms(SITE_BASE_PERMISSIONS))
        for codename in PAGE_PERMISSIONS[role]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
        codes = COLLECTION_PERMISSIONS + (SITE_ADMIN_EXTRA_COLLECTION if role == Role.SITE_ADMIN else ())
        for perm in _perms(codes):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=perm)
        if role == Role.SITE_ADMIN and website.wagtail_site_id:
            # The site's look (站点外观) is its own administrator's to change, and only for this site.
            for perm in _perms(SITE_ADMIN_SETTINGS):
                GroupSitePermission.objects.get_or_create(group=group, site=website.wagtail_site, permission=perm)
        groups[role] = group
    return groups


def sync_user_groups(user: AbstractUser) -> None:
    """Make the user's membership of managed groups match their role assignments; other groups stay."""
    wanted: set[int] = set()
    for assignment in RoleAssignment.objects.filter(user=user):
        if assignment.role in GLOBAL_GROUPS:
            wanted.add(ensure_global_group(assignment.role).pk)
            if assignment.role != Role.EVALUATOR:
                continue
        if assignment.website_id and assignment.role in SITE_ROLES:
            link = HostedSiteGroup.objects.filter(website_id=assignment.website_id, role=assignment.role).first()
            if link:
                wanted.add(link.group_id)
    managed = set(HostedSiteGroup.objects.values_list("group_id", flat=True)) | set(
        Group.objects.filter(name__in=GLOBAL_GROUP_NAMES.values()).values_list("pk", flat=True)
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
    for role, name in GLOBAL_GROUP_NAMES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*_existing_perms(GLOBAL_GROUPS[role]))
    base = _existing_perms(SITE_BASE_PERMISSIONS)
    for link in HostedSiteGroup.objects.select_related("group"):
        link.group.permissions.add(*base)


def _existing_perms(codes: tuple[str, ...]) -> list[Permission]:
    """Like _perms, but skips permissions not created yet (mid-migrate, before their app's post_migrate)."""
    q = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".")
        q |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(q))
