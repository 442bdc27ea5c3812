"""Scope Wagtail admin filter choices that Wagtail builds from unscoped querysets.

Wagtail's page listing offers every Site and every page owner or editor as filter choices, whatever the
user may explore. On a platform hosting hundreds of units' sites that names other units' sites and staff,
so at start-up we make those choices follow `access.py`. Wagtail offers no hook for this.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.models import PageLogEntry, Site

from govsite.core.access import is_platform_admin
from govsite.registry.access import hosted_websites_visible_to

from .access import pages_visible_to


def _sites_for(request):  # noqa: ANN001, ANN202
    if is_platform_admin(request.user):
        return Site.objects.all()
    return Site.objects.filter(registry_entry__in=hosted_websites_visible_to(request.user))


def _owners_for(request):  # noqa: ANN001, ANN202
    pages = pages_visible_to(request.user) if not is_platform_admin(request.user) else None
    owner_ids = (pages if pages is not None else _all_pages()).order_by().values_list("owner_id", flat=True)
    return get_user_model().objects.filter(pk__in=owner_ids.distinct())


def _editors_for(request):  # noqa: ANN001, ANN202
    entries = PageLogEntry.objects.filter(action="wagtail.edit")
    if not is_platform_admin(request.user):
        entries = entries.filter(page__in=pages_visible_to(request.user))
    return get_user_model().objects.filter(
        pk__in=entries.order_by().values_list("user_id", flat=True).distinct()
    )


def _all_pages():  # noqa: ANN202
    from wagtail.models import Page

    return Page.objects.all()


def install() -> None:
    from wagtail.admin.views.pages.listing import GenericPageFilterSet, PageFilterSet

    for filterset in (PageFilterSet, GenericPageFilterSet):
        filterset.base_filters["site"].queryset = _sites_for
        filterset.base_filters["owner"].queryset = _owners_for
        filterset.base_filters["edited_by"].queryset = _editors_for
