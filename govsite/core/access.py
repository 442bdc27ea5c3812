"""Who may see and change what (一级管一级). Every view, API endpoint, command and download goes through here.

Rules:
- a platform administrator (or Django superuser) sees and manages everything;
- a supervisor sees and manages every website whose 主办单位 is at or below the supervisor's unit;
- a third-party evaluator sees (read-only) the websites assigned to them;
- site administrators, editors and reviewers see only their own website; only supervisors and platform
  administrators change the registry.
Objects the user may not see answer 404, never 403, so that their existence does not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Role, RoleAssignment, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from wagtail.models import Page

    from govsite.registry.models import Website

    AnyUser = AbstractBaseUser | AnonymousUser


def _assignments(user: AnyUser) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_govsite_role_cache", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
        user._govsite_role_cache = cached
    return cached


def forget_cached_roles(user: AnyUser) -> None:
    """Drop the per-request role cache (after roles of this user object changed)."""
    if hasattr(user, "_govsite_role_cache"):
        del user._govsite_role_cache


def is_platform_admin(user: AnyUser) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or any(a.role == Role.PLATFORM_ADMIN for a in _assignments(user))


def supervised_units(user: AnyUser) -> list[Unit]:
    return [a.unit for a in _assignments(user) if a.role == Role.SUPERVISOR and a.unit is not None]


def is_supervisor(user: AnyUser) -> bool:
    return is_platform_admin(user) or bool(supervised_units(user))


def _subtree_q(units: list[Unit], field: str) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{field}__path__startswith": unit.path})
    return q


def websites_visible_to(user: AnyUser) -> QuerySet[Website]:
    """The registry entries this user may read."""
    from govsite.registry.models import Website

    if is_platform_admin(user):
        return Website.objects.all()
    assignments = _assignments(user)
    if not assignments:
        return Website.objects.none()
    direct = [a.website_id for a in assignments if a.website_id is not None]
    q = Q(pk__in=direct) | _subtree_q(supervised_units(user), "owner_unit")
    return Website.objects.filter(q)


def websites_supervised_by(user: AnyUser) -> QuerySet[Website]:
    """Registry entries under this user's supervision (监管): platform admins all, supervisors their subtree.
    A site role alone (editor, reviewer, site admin) supervises nothing."""
    from govsite.registry.models import Website

    if is_platform_admin(user):
        return Website.objects.all()
    units = supervised_units(user)
    return Website.objects.filter(_subtree_q(units, "owner_unit")) if units else Website.objects.none()


def websites_manageable_by(user: AnyUser) -> QuerySet[Website]:
    """The registry entries this user may change (supervisors within their subtree, platform admins)."""
    from govsite.registry.models import Website

    if is_platform_admin(user):
        return Website.objects.all()
    units = supervised_units(user)
    if not units:
        return Website.objects.none()
    return Website.objects.filter(_subtree_q(units, "owner_unit"))


def units_visible_to(user: AnyUser) -> QuerySet[Unit]:
    """Units a user may pick in registry forms: their supervised subtrees (all, for platform admins)."""
    if is_platform_admin(user):
        return Unit.objects.all()
    units = supervised_units(user)
    if not units:
        return Unit.objects.none()
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path)
    return Unit.objects.filter(q)


def access_unit(user: AnyUser, unit_id: int) -> Unit:
    try:
        return units_visible_to(user).get(pk=unit_id)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("机构不存在或无权访问。") from None


def site_roles(user: AnyUser, website: Website) -> set[str]:
    """The roles the user holds on this website itself (site admin, editor, reviewer, evaluator)."""
    return {a.role for a in _assignments(user) if a.website_id == website.pk}


def access_website(
    user: AnyUser, *, pk: int | str | None = None, site_code: str | None = None, for_change: bool = False
) -> Website:
    """Fetch a website by primary key or 网站标识码, enforcing scope. 404 if invisible, 403 if read-only."""
    from govsite.registry.models import Website

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


def pages_visible_to(user: AnyUser) -> QuerySet[Page]:
    """Pages (any state) of the hosted websites this user may read."""
    from wagtail.models import Page

    roots = list(
        hosted_websites_visible_to(user).values_list("wagtail_site__root_page__path", flat=True)
    )
    if not roots:
        return Page.objects.none()
    q = Q(pk__in=[])
    for path in roots:
        q |= Q(path__startswith=path)
    return Page.objects.filter(q)


def access_page(user: AnyUser, page_id: int) -> Page:
    from wagtail.models import Page

    try:
        return pages_visible_to(user).get(pk=page_id)
    except (Page.DoesNotExist, ValueError, TypeError):
        raise Http404("页面不存在或无权访问。") from None


def website_for_page(page: Page) -> Website | None:
    """The registry entry of the hosted site a page belongs to."""
    from govsite.registry.models import Website

    # Treebeard paths grow by 4 characters a level: the page's ancestors are its path's prefixes.
    ancestor_paths = [page.path[:i] for i in range(4, len(page.path) + 1, 4)]
    return (
        Website.objects.filter(wagtail_site__root_page__path__in=ancestor_paths)
        .order_by("-wagtail_site__root_page__depth")
        .first()
    )


def websites_staffed_by(user: AnyUser) -> QuerySet[Website]:
    """The hosted websites whose staff (编辑, 审核人员) this user manages: those they are 网站管理员 of.

    Platform administrators manage every site's staff through Wagtail's user admin; supervisors do not
    manage site staff.
    """
    from govsite.registry.models import Website

    if is_platform_admin(user):
        return Website.objects.filter(wagtail_site__isnull=False)
    ids = [a.website_id for a in _assignments(user) if a.role == Role.SITE_ADMIN and a.website_id]
    return Website.objects.filter(pk__in=ids, wagtail_site__isnull=False)


def access_staffed_website(user: AnyUser, pk: int | str) -> Website:
    """A website whose staff this user manages; 404 otherwise."""
    from govsite.registry.models import Website

    try:
        return websites_staffed_by(user).get(pk=pk)
    except (Website.DoesNotExist, ValueError, TypeError):
        raise Http404("网站不存在或无权管理其人员。") from None
