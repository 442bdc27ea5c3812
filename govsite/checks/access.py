"""Who may read and change the word lists (词库) and who may review a page's findings (一级管一级).

A supervisor manages the entries of the regions of the units they supervise and of every region below; a
platform administrator manages all; they also *see* (read-only) the entries of the regions above, because
those apply to their sites too. Everyone else manages nothing. Reviewing (人工放行, 通过) belongs to whoever
holds the permission to publish the page. Built on the primitives of `govsite.core.access`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from govsite.core.access import is_platform_admin, is_system, require_actor, subtree_q, supervised_units
from govsite.core.models import Region

from .models import LexiconEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from wagtail.models import Page

    from govsite.core.access import AnyUser


def lexicon_regions_manageable_by(user: AnyUser) -> QuerySet[Region]:
    """Regions whose word lists this user may change: their supervised units' regions and everything below."""
    if is_platform_admin(user):
        return Region.objects.all()
    regions = [unit.region for unit in supervised_units(user)]
    if not regions:
        return Region.objects.none()
    return Region.objects.filter(subtree_q(regions))


def lexicon_regions_visible_to(user: AnyUser) -> QuerySet[Region]:
    """Regions whose word lists this user may read: the manageable ones and the regions above them."""
    if is_platform_admin(user):
        return Region.objects.all()
    regions = [unit.region for unit in supervised_units(user)]
    if not regions:
        return Region.objects.none()
    ancestors = {int(pk) for region in regions for pk in region.path.strip("/").split("/")}
    return Region.objects.filter(subtree_q(regions) | Q(pk__in=ancestors))


def entries_visible_to(user: AnyUser) -> QuerySet[LexiconEntry]:
    return LexiconEntry.objects.filter(region__in=lexicon_regions_visible_to(user))


def can_manage_region(user: AnyUser, region: Region) -> bool:
    if is_system(require_actor(user)):  # commands and tasks act as the system actor, never as "no user"
        return True
    return lexicon_regions_manageable_by(user).filter(pk=region.pk).exists()


def access_entry(user: AnyUser, pk: int | str, *, for_change: bool = False) -> LexiconEntry:
    """One entry, enforcing scope: 404 when the user may not see it, 403 when they may only read it."""
    try:
        entry = entries_visible_to(user).select_related("region").get(pk=pk)
    except (LexiconEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("词库条目不存在或无权访问。") from None
    if for_change and not can_manage_region(user, entry.region):
        raise PermissionDenied("无权修改上级行政区划的词库。")
    return entry


def may_review(page: Page, user: AbstractBaseUser) -> bool:
    """Whether the user holds the permission to publish this page (审核人员, 网站管理员): who may review,
    override findings and approve. Not the same as `can_publish()`, which is "no" under a workflow."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    tester = page.permissions_for_user(user)
    return "publish" in getattr(tester, "permissions", ())
