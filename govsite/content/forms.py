"""Admin forms of hosted sites' pages."""

from __future__ import annotations

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm

from .conflicts import EditConflictMixin


class PageForm(EditConflictMixin, WagtailAdminPageForm):
    """The page editor's form, telling "changed" from "unchanged" by the stored values.

    Django marks fields with a callable default (发布时间: `timezone.now`) `show_hidden_initial` and then
    compares the submitted value with a hidden copy of the initial one; Wagtail's panels never render that
    copy, so the field always counted as changed. Every workflow action in the editor then saved a new
    revision, and with WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT the approval just given no longer counted:
    "批准" started the workflow again instead of publishing.

    A save based on an older revision than the page's latest is refused (编辑冲突, content/conflicts.py).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = False
