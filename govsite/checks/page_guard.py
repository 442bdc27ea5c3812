"""The publication guard (发布前检查闸门): a page with an unresolved blocking finding never goes live.

Every way Wagtail publishes a page — the editor's 发布 button, `revision.publish()` from code or the API,
bulk publish, scheduled publishing (`publish_scheduled`), the end of a workflow, copying a live page —
ends in `page.save()` with `live=True`. `PublishGuardMixin.save` checks the content being written there, so
no path can skip it. Signals after publication would be too late; hooks in the admin only make the refusal
friendlier (see `wagtail_hooks.py`).

The check is skipped when nothing public changes: drafts (`live=False`), saves of other fields
(`update_fields` without content, e.g. revision bookkeeping or locking) and saves of a live page whose
content is the same as what is already live (moving, re-saving). Results are cached by content hash and
word-list version, so saving the same content again costs a few queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from govsite.content.links import check_page_links, foreign_media, foreign_media_message

from .pagecheck import PageFinding, check_page, unresolved_blocks
from .pagetext import checked_fields, linked_documents, page_texts
from .review import WorkflowOnlyPermissionTester

if TYPE_CHECKING:
    from wagtail.models import Page

# Saving one of these publishes what the page object holds, even without a content field.
PUBLISHING_FIELDS = frozenset({"live", "live_revision", "live_revision_id"})
MESSAGE_LIMIT = 10


class PublicationBlocked(ValidationError):
    """Publication refused by the guard; carries the page so the admin can send the user back to it."""

    def __init__(self, message: str, *, page: Page) -> None:
        super().__init__(message, code="compliance_block")
        self.page = page


def blocked_message(findings: list[PageFinding], *, lead: str = "不能发布") -> str:
    """A Chinese message listing the blocking findings (at most ten, then a count): where, what (masked), why."""
    lines = [f"{f.where}：{f.kind_label}“{f.display_text}”（{f.finding.rule}）" for f in findings[:MESSAGE_LIMIT]]
    more = f"；另有 {len(findings) - MESSAGE_LIMIT} 处" if len(findings) > MESSAGE_LIMIT else ""
    return (f"页面存在 {len(findings)} 处未处理的“阻止发布”问题，{lead}：" + "；".join(lines) + more
            + "。请修改内容，或由审核人员在“内容检查”中逐条填写理由放行。")


def unresolved_findings(page: Page) -> list[PageFinding]:
    """The blocking findings in the page object's content that no reviewer has overridden."""
    return unresolved_blocks(page, check_page(page).findings)


def assert_publishable(page: Page) -> None:
    """Raise ValidationError (in Chinese, listing the findings) if this content may not be published."""
    blocking = unresolved_findings(page)
    if blocking:
        raise PublicationBlocked(blocked_message(blocking), page=page)


def _writes_content(page: Page, update_fields: Iterable[str] | None) -> bool:
    if update_fields is None:
        return True
    names = set(update_fields)
    if names & PUBLISHING_FIELDS:
        return True
    return any(f.name in names or f.attname in names for f in checked_fields(type(page)))


def _same_as_live(page: Page) -> bool:
    """True when the page is live and its stored content is what this save writes (nothing new goes public)."""
    if page.pk is None:
        return False
    stored = type(page).objects.filter(pk=page.pk, live=True).first()
    if stored is None or page_texts(stored) != page_texts(page):
        return False
    return [d.pk for d in linked_documents(stored)] == [d.pk for d in linked_documents(page)]


def publication_problems(page: Page) -> list[str]:
    """The page model's own rules for going public on every path (`publication_problems()`: a 规范性文件
    without its 解读 …), in Chinese."""
    check = getattr(page, "publication_problems", None)
    return list(check()) if callable(check) else []


def workflow_problems(page: Page) -> list[str]:
    """What stops a page at 提交审核 and at the end of its workflow: the rules of every path, and those a
    model keeps for what people submit (`review_problems()`: an empty column, §9 item 14). The latter do not
    bind the platform's own builders (provisioning, the demo), which lay out columns before their items."""
    check = getattr(page, "review_problems", None)
    return publication_problems(page) + (list(check()) if callable(check) else [])


def guard_save(page: Page, update_fields: Iterable[str] | None = None) -> None:
    """Called before a page is written: refuse if it becomes or stays live with new unresolved blocking content,
    or while its model's publication rules object."""
    if not page.live or not _writes_content(page, update_fields):
        return
    if _same_as_live(page):
        return
    problems = publication_problems(page)
    if problems:
        raise PublicationBlocked("不能发布：" + "；".join(problems), page=page)
    foreign = foreign_media(page)
    if foreign:
        raise PublicationBlocked(foreign_media_message(foreign), page=page)
    assert_publishable(page)


class PublishGuardMixin:
    """Mixin for content page models: runs `guard_save` before every save and the link rule
    (`content.links`) in `clean()`; under a workflow only its approval publishes
    (`review.WorkflowOnlyPermissionTester`)."""

    def save(self, *args: Any, **kwargs: Any) -> Any:
        guard_save(self, kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    def clean(self) -> None:
        """Every save through a form or `save_revision()`: a page links only its own site's files."""
        super().clean()
        check_page_links(self)

    def permissions_for_user(self, user: Any) -> Any:
        return WorkflowOnlyPermissionTester(user, self)
