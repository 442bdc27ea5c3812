"""The Wagtail groups of one hosted site (站点权限组): for each role of website scope, the page permissions on the
site's home page, the collection permissions on its media collection and the model permissions its role lists."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
)

from govsite.core.audit_hooks import permission_changes_as_one_entry
from govsite.core.models import HostedSiteGroup, Role, RoleAssignment, RoleDefinition, ScopeKind
from govsite.core.permissions import (
    COLLECTION_PERMISSIONS,
    SITE_ADMIN_EXTRA_COLLECTION,
    perms,
    sync_user_groups,
)
from govsite.registry.models import Website

PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.EDITOR: ("add_page", "change_page"),
    Role.REVIEWER: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    Role.SITE_ADMIN: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"),
    # 保密审查员 open a page only while its 保密审查 step is theirs (the task grants the editor); they change
    # nothing else and publish nothing by permission.
    Role.SECRECY_REVIEWER: (),
}
# The files a secrecy reviewer must read are the site's own; choosing is enough, they upload nothing.
SECRECY_COLLECTION_PERMISSIONS = ("wagtailimages.choose_image", "wagtaildocs.choose_document")
SITE_ADMIN_SETTINGS = ("content.change_siteappearance",)


@transaction.atomic
def ensure_site_groups(website: Website, root_page: Page, collection: Collection) -> dict[str, Group]:
    """Create (or repair) the site admin / editor / reviewer groups of one hosted site; the permissions they
    get are written to the audit log as one entry (权限变更：托管网站权限组)."""
    with permission_changes_as_one_entry("permission.site_groups", website):
        groups = _ensure_site_groups(website, root_page, collection)
        # Staff named before the site was hosted move from the unhosted-site group to the site's own groups.
        for assignment in RoleAssignment.objects.filter(website=website).select_related("user"):
            sync_user_groups(assignment.user)
        return groups


def _ensure_site_groups(website: Website, root_page: Page, collection: Collection) -> dict[str, Group]:
    groups = {}
    for role in RoleDefinition.objects.filter(scope_kind=ScopeKind.WEBSITE, code__in=PAGE_PERMISSIONS):
        link = HostedSiteGroup.objects.filter(website=website, role=role.code).select_related("group").first()
        if link is None:
            group, _ = Group.objects.get_or_create(name=f"{website.site_code} {website.name} {role.name}"[:150])
            link = HostedSiteGroup.objects.create(website=website, role=role.code, group=group)
        group = link.group
        group.permissions.add(*perms(role.model_permissions))
        for codename in PAGE_PERMISSIONS[role.code]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
        codes = COLLECTION_PERMISSIONS + (SITE_ADMIN_EXTRA_COLLECTION if role.code == Role.SITE_ADMIN else ())
        if role.code == Role.SECRECY_REVIEWER:
            codes = SECRECY_COLLECTION_PERMISSIONS
        for perm in perms(codes):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=perm)
        if role.code == Role.SITE_ADMIN and website.wagtail_site_id:
            # The site's look (站点外观) is its own administrator's to change, and only for this site.
            for perm in perms(SITE_ADMIN_SETTINGS):
                GroupSitePermission.objects.get_or_create(group=group, site=website.wagtail_site, permission=perm)
        groups[role.code] = group
    return groups
