"""Scope for the parts of Wagtail's own admin that group permissions do not cover (后台范围).

Wagtail scopes its explorer, edit views and media listings by the site groups' page and collection
permissions (`core/permissions.py`), but lists objects without asking in a few places: the page chooser
(every site's pages, drafts included), the confirmation pages of bulk actions (any id in the URL, titles
shown), the page types report (every site's counts), the admin API's document and image listings and the
"chosen" step of the page chooser. Where Wagtail offers a hook, `wagtail_hooks.py` uses it with the
functions below; where it does not, `install()` wraps the view at start-up. The isolation matrix
(`core/tests/isolation_matrix.py`) has a row for each, so a Wagtail upgrade that changes them fails there.

What a user may see comes from `content.access` only: `pages_visible_to` (drafts for the site's own staff,
published pages for supervisors and evaluators) and the collections the user has a permission on.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from wagtail.models import Page, Site

from govsite.core.access import is_platform_admin

from .access import pages_visible_to

MEDIA_PERMISSIONS = ["add", "change", "choose", "delete"]


def admin_pages_for(user: Any) -> QuerySet[Page]:
    """Pages a user may meet anywhere in the admin: everything for platform administrators, else their scope."""
    if is_platform_admin(user):
        return Page.objects.all()
    return pages_visible_to(user)


def scope_pages(pages: QuerySet, user: Any) -> QuerySet:
    if is_platform_admin(user):
        return pages
    return pages.filter(pk__in=pages_visible_to(user).values("pk"))


def _media_policy(model: type) -> Any:
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(model)


def scope_media(objects: QuerySet, user: Any) -> QuerySet:
    """Documents or images in collections the user holds a permission on (their own site's collection)."""
    policy = _media_policy(objects.model)
    return objects.filter(pk__in=policy.instances_user_has_any_permission_for(user, MEDIA_PERMISSIONS).values("pk"))


def sites_for(user: Any) -> QuerySet[Site]:
    """Wagtail sites whose pages the user may see (any of them)."""
    if is_platform_admin(user):
        return Site.objects.all()
    roots = pages_visible_to(user).filter(depth=2).values("pk")
    return Site.objects.filter(root_page__in=roots)


def in_scope(user: Any, obj: Any) -> bool:
    """Whether a page, document or image is within the user's scope at all."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    if isinstance(obj, Page):
        return obj.is_root() or admin_pages_for(user).filter(pk=obj.pk).exists()
    if isinstance(obj, get_document_model() | get_image_model()):
        return scope_media(type(obj).objects.filter(pk=obj.pk), user).exists()
    return True


# --- views Wagtail offers no hook for --------------------------------------------------------------------------

def _scoped_chooser_browse(original: Any) -> Any:
    @functools.wraps(original)
    def get(self: Any, request: HttpRequest, parent_page_id: int | None = None) -> Any:
        # The chooser shows the parent page's title and its ancestors: outside the scope it is not found.
        if parent_page_id is not None:
            parent = Page.objects.filter(pk=parent_page_id).first()
            if parent is None or not in_scope(request.user, parent):
                raise Http404
        return original(self, request, parent_page_id)

    return get


def _scoped_chosen_multiple(self: Any, request: HttpRequest) -> Any:
    from django.urls import reverse

    ids = [pk for pk in request.GET.getlist("id") if str(pk).isdigit()]
    pages = scope_pages(Page.objects.filter(pk__in=ids), request.user).specific()
    result = [{
        "id": page.pk,
        "parentId": page.get_parent().pk,
        "adminTitle": page.get_admin_display_title(),
        "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        "url": page.url,
    } for page in pages]
    return self.render_chosen_response(result)


def _scoped_actionable_objects(original: Any) -> Any:
    @functools.wraps(original)
    def get_actionable_objects(self: Any) -> Any:
        # Objects out of scope are neither acted on nor listed as "no permission" (which names them).
        objects, extra = original(self)
        user = self.request.user
        objects = [obj for obj in objects if in_scope(user, obj)]
        extra = {**extra, "items_with_no_access": [
            obj for obj in extra.get("items_with_no_access", []) if in_scope(user, obj)]}
        return objects, extra

    return get_actionable_objects


def _scoped_page_types_queryset(self: Any) -> Any:
    """The page types report counted over the user's pages only (Wagtail counts every site's)."""
    from django.contrib.contenttypes.models import ContentType

    queryset = ContentType.objects.filter(model__in=self.page_models)
    self.queryset = queryset
    queryset = self.filter_queryset(queryset)
    pages = admin_pages_for(self.request.user).exclude(depth=1)
    language_code = self.filters.form.cleaned_data.get("page_locale", None)
    site_root_path = self.filters.form.cleaned_data.get("site", None)
    if language_code:
        pages = pages.filter(locale__language_code=language_code)
    if site_root_path:
        pages = pages.filter(path__startswith=site_root_path)
    of_type = pages.filter(content_type=OuterRef("pk"))
    queryset = queryset.annotate(
        count=Coalesce(Subquery(of_type.order_by().values("content_type").annotate(n=Count("pk")).values("n")[:1]), 0),
        last_edited_page_id=Subquery(
            of_type.order_by(F("latest_revision_created_at").desc(nulls_last=True)).values("pk")[:1]),
    ).filter(Q(count__gt=0) | ~Q(model="page"))
    return queryset.order_by("-count", "app_label", "model")


def _scoped_site_choices(original_init: Any) -> Any:
    @functools.wraps(original_init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        request = getattr(self, "request", None)
        if request is None or "site" not in self.filters:
            return
        sites = sites_for(request.user).select_related("root_page")
        self.sites = {site.pk: site for site in sites}
        self.filters["site"].extra["choices"] = [(site.root_page.path, str(site)) for site in sites]

    return __init__


def _scoped_api_queryset(original: Any) -> Any:
    @functools.wraps(original)
    def get_queryset(self: Any) -> Any:
        return scope_media(original(self), self.request.user)

    return get_queryset


def install() -> None:
    """Wrap the Wagtail views above (once; called from `ContentConfig.ready`)."""
    from wagtail.admin.views import chooser
    from wagtail.admin.views.bulk_action import BulkAction
    from wagtail.admin.views.reports import page_types_usage
    from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

    if getattr(BulkAction, "_govsite_scoped", False):
        return
    chooser.BrowseView.get = _scoped_chooser_browse(chooser.BrowseView.get)
    chooser.ChosenMultipleView.get = _scoped_chosen_multiple
    BulkAction.get_actionable_objects = _scoped_actionable_objects(BulkAction.get_actionable_objects)
    BulkAction._govsite_scoped = True
    page_types_usage.PageTypesUsageReportView.get_queryset = _scoped_page_types_queryset
    filterset = page_types_usage.PageTypesUsageReportFilterSet
    filterset.__init__ = _scoped_site_choices(filterset.__init__)
    for viewset in (DocumentsAdminAPIViewSet, ImagesAdminAPIViewSet):
        viewset.get_queryset = _scoped_api_queryset(viewset.get_queryset)
