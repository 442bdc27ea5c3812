"""Scope rules that hook into Wagtail itself."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page, ReferenceIndex


def document_is_public(document) -> bool:  # noqa: ANN001
    """A document is public once a live, unrestricted page refers to it."""
    page_ids = ReferenceIndex.get_references_to(document).filter(
        base_content_type=ReferenceIndex._get_base_content_type(Page)
    ).values_list("object_id", flat=True)
    return Page.objects.live().public().filter(pk__in=[int(pk) for pk in page_ids]).exists()


@hooks.register("before_serve_document")
def serve_document_within_scope(document, request: HttpRequest):  # noqa: ANN001, ANN201
    """Files awaiting review (e.g. 保密审查) are not downloadable by guessing their URL: only staff of the
    site that owns them may fetch them until a published page links to them."""
    if document_is_public(document):
        return None
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_document_model())
    if permission_policy.user_has_any_permission_for_instance(
        request.user, ["change", "choose"], document
    ):
        return None
    raise Http404("文件不存在或尚未公开。")


# --- 审计日志 (audit_views.py): the 审计管理员's viewer and export ---------------------------------------------

@hooks.register("register_admin_urls")
def register_audit_urls() -> list:
    from . import audit_views

    patterns = [
        path("", audit_views.audit_index, name="index"),
        path("export/", audit_views.audit_export, name="export"),
    ]
    return [path("audit/", include((patterns, "audit_log"), namespace="audit_log"))]


class AuditMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        from .access import may_read_audit

        return may_read_audit(request.user)


@hooks.register("register_admin_menu_item")
def register_audit_menu_item() -> MenuItem:
    return AuditMenuItem(_("审计日志"), reverse_lazy("audit_log:index"), name="audit-log", icon_name="history",
                         order=900)
