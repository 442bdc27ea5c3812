"""Who may see which pages of the hosted sites (页面): built on `registry.access`. Invisible pages answer 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import Page

from govsite.registry.access import hosted_websites_visible_to
from govsite.registry.models import Website

if TYPE_CHECKING:
    from govsite.core.access import AnyUser


def pages_visible_to(user: AnyUser) -> QuerySet[Page]:
    """Pages (any state) of the hosted websites this user may read."""
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
    try:
        return pages_visible_to(user).get(pk=page_id)
    except (Page.DoesNotExist, ValueError, TypeError):
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
