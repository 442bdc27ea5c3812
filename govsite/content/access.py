"""Who may see which pages of the hosted sites (页面): built on `registry.access`. Invisible pages answer 404.

Drafts (草稿: never-published pages and unpublished changes) are for the site's own staff (网站管理员, 编辑,
审核人员) and platform administrators; supervisors and third-party evaluators read published content only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import Collection, Page

from govsite.core.access import is_platform_admin, site_roles
from govsite.core.models import SITE_ROLES
from govsite.registry.access import hosted_websites_visible_to
from govsite.registry.models import Website

if TYPE_CHECKING:
    from govsite.core.access import AnyUser


def _tree_q(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def websites_drafted_by(user: AnyUser) -> QuerySet[Website]:
    """The hosted websites whose drafts this user may read: those they are staff of (all, for platform admins)."""
    if is_platform_admin(user):
        return Website.objects.filter(wagtail_site__isnull=False)
    visible = hosted_websites_visible_to(user)
    ids = [w.pk for w in visible if set(site_roles(user, w)) & set(SITE_ROLES)]
    return Website.objects.filter(pk__in=ids)


def pages_visible_to(user: AnyUser) -> QuerySet[Page]:
    """Pages of the hosted websites this user may read: any state on the sites they are staff of, live pages
    elsewhere in their scope (supervisors, evaluators)."""
    visible = list(hosted_websites_visible_to(user).values_list("pk", "wagtail_site__root_page__path"))
    if not visible:
        return Page.objects.none()
    drafted = set(websites_drafted_by(user).values_list("pk", flat=True))
    staff_paths = [path for pk, path in visible if pk in drafted]
    reader_paths = [path for pk, path in visible if pk not in drafted]
    q = _tree_q(staff_paths)
    if reader_paths:
        q |= _tree_q(reader_paths) & Q(live=True)
    return Page.objects.filter(q)


def pages_with_drafts_visible_to(user: AnyUser) -> QuerySet[Page]:
    """Pages whose drafts (latest revision) this user may read: every page of the sites they are staff of."""
    paths = list(websites_drafted_by(user).values_list("wagtail_site__root_page__path", flat=True))
    return Page.objects.filter(_tree_q(paths)) if paths else Page.objects.none()


def access_page(user: AnyUser, page_id: int, *, draft: bool = False) -> Page:
    """A page in the user's scope; with `draft=True`, only if the user may also read its drafts. 404 otherwise."""
    scope = pages_with_drafts_visible_to(user) if draft else pages_visible_to(user)
    try:
        return scope.get(pk=page_id)
    except (Page.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("页面不存在或无权访问。") from None


def website_for_page(page: Page) -> Website | None:
    """The registry entry of the hosted site a page belongs to."""
    # Treebeard paths grow by 4 characters a level: the page's ancestors are its path's prefixes.
    ancestor_paths = [page.path[:i] for i in range(4, len(page.path) + 1, 4)]
    return (
        Website.objects.filter(wagtail_site__root_page__path__in=ancestor_paths)
        .order_by("-wagtail_site__root_page__depth")
        .first()
    )


def website_for_collection(collection: Collection) -> Website | None:
    """The hosted website whose media collection (named by its 网站标识码) holds this collection."""
    names = [c.name for c in collection.get_ancestors(inclusive=True)]
    found = {w.site_code: w for w in Website.objects.filter(site_code__in=names, wagtail_site__isnull=False)}
    return next((found[name] for name in reversed(names) if name in found), None)


def site_root_for_collection(collection: Collection) -> Page | None:
    """The home page of the hosted site whose collection holds this one (None for shared collections)."""
    website = website_for_collection(collection)
    return website.wagtail_site.root_page if website is not None else None
