"""编辑冲突 (edit conflict): a page saved by someone else since this editor opened it is not overwritten silently.

Wagtail's editor posts the revision it was loaded from (`loaded_revision_id` + `loaded_revision_created_at`,
or `overwrite_revision_id` once it autosaved) and refuses an out-of-date *autosave*, but a plain 保存草稿 /
提交审核 replaced the other person's version without a word. `EditConflictMixin` makes the page form refuse
such a save: a non-field error names who saved the newer version and when; the form comes back with the
user's own text in it. The refused form is rendered from the newer revision's id, so saving again on purpose
replaces it (as Wagtail's own conflict dialog offers "overwrite").

Two saves that pass the check at the same instant both go through: this is optimistic locking at the speed of
people, not a database lock.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.utils import get_user_display_name
from wagtail.models import Page, Revision


def newer_revision(page: Page, data: Any) -> Revision | None:
    """The page's latest revision when the submitted form was loaded from an older one, else None.

    The same rule as Wagtail's `EditView.is_out_of_date`, which it applies to autosaves only."""
    if page.pk is None or data is None:
        return None
    latest_id = type(page).objects.filter(pk=page.pk).values_list("latest_revision_id", flat=True).first()
    if latest_id is None:
        return None
    latest = Revision.objects.select_related("user").get(pk=latest_id)
    if overwrite_id := data.get("overwrite_revision_id"):  # this session's own autosave
        return None if overwrite_id == str(latest.pk) else latest
    if loaded_id := data.get("loaded_revision_id"):
        if loaded_id != str(latest.pk):
            return latest
        # The same revision may have been overwritten by another session's autosave since it was loaded.
        if data.get("loaded_revision_created_at", "") != latest.created_at.isoformat():
            return latest
    return None  # a client that does not say what it loaded (not the editor): nothing to compare


def conflict_message(revision: Revision) -> str:
    """编辑冲突 message naming who saved the newer version and when."""
    who = get_user_display_name(revision.user) if revision.user else _("其他用户")
    when = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M:%S")
    return _(
        "保存未完成：您打开此页面后，%(who)s 于 %(when)s 保存了新的版本。为免覆盖对方的修改，本次未保存；"
        "您填写的内容仍在下方。请先在“修订历史”中查看对方的修改，复制需要保留的内容后刷新页面再编辑；"
        "如确需以您的内容替换对方的版本，可再次保存。"
    ) % {"who": who, "when": when}


class EditConflictMixin:
    """For a Wagtail page form: refuse a save whose base is not the page's latest revision (编辑冲突)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        revision = newer_revision(self.instance, self.data)  # type: ignore[attr-defined]
        if revision is not None:
            raise ValidationError(conflict_message(revision), code="edit_conflict")
        return cleaned


class ConflictCheckedPageForm(EditConflictMixin, WagtailAdminPageForm):
    """The editor form of pages without a form of their own (首页, 栏目): Wagtail's, with the 编辑冲突 check."""
