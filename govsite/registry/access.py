"""Who may see and change which registry entries (网站): built on `core.access`. Invisible objects answer 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from govsite.core.access import (
    _assignments,
    is_platform_admin,
    subtree_q,
    supervised_units,
    unit_scope_q,
    units_visible_to,
    website_ids,
)
from govsite.core.models import Capability, Unit

from .models import Website

if TYPE_CHECKING:
    from govsite.core.access import AnyUser


def websites_visible_to(user: AnyUser) -> QuerySet[Website]:
    """The registry entries this user may read."""
    if is_platform_admin(user):
        return Website.objects.all()
    if not _assignments(user):
        return Website.objects.none()
    return Website.objects.filter(Q(pk__in=website_ids(user)) | unit_scope_q(user, "owner_unit"))


def websites_supervised_by(user: AnyUser) -> QuerySet[Website]:
    """Registry entries under this user's supervision (监管): platform admins all, supervisors their subtree.
    A site role alone (editor, reviewer, site admin) supervises nothing."""
    if is_platform_admin(user):
        return Website.objects.all()
    units = supervised_units(user)
    return Website.objects.filter(subtree_q(units, "owner_unit")) if units else Website.objects.none()


def websites_manageable_by(user: AnyUser) -> QuerySet[Website]:
    """The registry entries this user may change (supervisors within their subtree, platform admins)."""
    if is_platform_admin(user):
        return Website.objects.all()
    units = supervised_units(user)
    if not units:
        return Website.objects.none()
    return Website.objects.filter(subtree_q(units, "owner_unit"))


def access_website(
    user: AnyUser, *, pk: int | str | None = None, site_code: str | None = None, for_change: bool = False
) -> Website:
    """Fetch a website by primary key or 网站标识码, enforcing scope. 404 if invisible, 403 if read-only."""
    lookup = {"pk": pk} if pk is not None else {"site_code": site_code}
    try:
        website = websites_visible_to(user).get(**lookup)
    except (Website.DoesNotExist, ValueError, TypeError):
        raise Http404("网站不存在或无权访问。") from None
    if for_change and not websites_manageable_by(user).filter(pk=website.pk).exists():
        raise PermissionDenied("无权修改该网站的登记信息。")
    return website


def hosted_websites_visible_to(user: AnyUser) -> QuerySet[Website]:
    return websites_visible_to(user).filter(wagtail_site__isnull=False)


def websites_staffed_by(user: AnyUser) -> QuerySet[Website]:
    """The hosted websites whose staff (编辑, 审核人员) this user manages: those they are 网站管理员 of.

    Platform administrators manage every site's staff through Wagtail's user admin; supervisors do not
    manage site staff.
    """
    if is_platform_admin(user):
        return Website.objects.filter(wagtail_site__isnull=False)
    ids = website_ids(user, capability=Capability.STAFF_MANAGE)
    return Website.objects.filter(pk__in=ids, wagtail_site__isnull=False)


def access_staffed_website(user: AnyUser, pk: int | str) -> Website:
    """A website whose staff this user manages; 404 otherwise."""
    try:
        return websites_staffed_by(user).get(pk=pk)
    except (Website.DoesNotExist, ValueError, TypeError):
        raise Http404("网站不存在或无权管理其人员。") from None


def units_for_filter(user: AnyUser) -> QuerySet[Unit]:
    """Units a user may filter by: their supervised subtrees (all, for platform admins); site roles, who
    have no unit scope, get the 主办单位 of the sites they can see."""
    units = units_visible_to(user)
    if not units.exists():
        units = Unit.objects.filter(pk__in=websites_visible_to(user).values("owner_unit"))
    return units.select_related("region")
