"""信息报送 operations: submit an item to another site's column, accept (采用) or decline (不采用) it; counts per
unit for the annual reports. Each takes its actor, checks scope (library/access.py) and is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from govsite.content.access import website_for_page
from govsite.content.disclosure_site import publish_columns_with_content
from govsite.content.models import ArticlePage, ColumnPage
from govsite.core.access import is_system, require_actor
from govsite.core.models import Unit
from govsite.core.services import record_audit

from .access import receiving_websites, staff_websites
from .models import Submission, SubmissionStatus

DECLINE_REASON_MAX = 300


def _is_staff_of(by: Any, website: Any) -> bool:
    return is_system(by) or staff_websites(by).filter(pk=website.pk).exists()


def _user(by: Any) -> Any:
    return None if is_system(by) else by


def check_submit_item(by: Any, item: ArticlePage, column: ColumnPage) -> tuple[Any, Any]:
    """Whether `by` may offer `item` to `column`: staff of the item's site, a live item, a column of a 上级网站.
    Returns (source website, target website)."""
    require_actor(by)
    source = website_for_page(item)
    if source is None or not _is_staff_of(by, source):
        raise PermissionDenied("只能报送本网站的信息。")
    if not ArticlePage.objects.filter(pk=item.pk, live=True).exists():
        raise ValidationError("只能报送已发布的信息。")
    target = website_for_page(column)
    if target is None or not isinstance(column, ColumnPage):
        raise ValidationError("请选择接收网站的栏目。")
    if not receiving_websites(source).filter(pk=target.pk).exists():
        raise PermissionDenied("只能向本单位上级机构的网站报送信息。")
    if Submission.objects.filter(item=item, target_column=column).exclude(status=SubmissionStatus.DECLINED).exists():
        raise ValidationError("该信息已报送到这个栏目。")
    return source, target


@transaction.atomic
def do_submit_item(item: ArticlePage, column: ColumnPage, *, by: Any, note: str = "") -> Submission:
    """信息报送: offer an item of one's own site to a column of a 上级网站."""
    source, target = check_submit_item(by, item, column)
    submission = Submission.objects.create(item=item, source_website=source, target_website=target,
                                           target_column=column, note=note.strip()[:300], submitted_by=_user(by))
    record_audit(by, "library.submit", submission, item=item.title, source=source.site_code,
                 target=target.site_code, column=column.title)
    return submission


def _check_decide(by: Any, submission: Submission) -> None:
    require_actor(by)
    if not _is_staff_of(by, submission.target_website):
        raise PermissionDenied("只有接收网站的工作人员可以处理报送信息。")
    if submission.status != SubmissionStatus.PENDING:
        raise ValidationError("该报送已处理。")


@transaction.atomic
def do_accept_submission(submission: Submission, *, by: Any) -> Submission:
    """采用: the item shows in the receiving column (and that column is published if it was an empty draft of
    the 政府信息公开 structure)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_decide(by, submission)
    submission.status = SubmissionStatus.ACCEPTED
    submission.decided_by, submission.decided_at = _user(by), timezone.now()
    submission.save(update_fields=["status", "decided_by", "decided_at"])
    publish_columns_with_content(submission.target_column)
    record_audit(by, "library.accept", submission, item=submission.item.title,
                 source=submission.source_website.site_code, target=submission.target_website.site_code)
    return submission


@transaction.atomic
def do_decline_submission(submission: Submission, *, by: Any, reason: str) -> Submission:
    """不采用, with the reason the sender will read."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_decide(by, submission)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写不采用的理由。")
    if len(reason) > DECLINE_REASON_MAX:
        raise ValidationError(f"理由不能超过 {DECLINE_REASON_MAX} 个字。")
    submission.status = SubmissionStatus.DECLINED
    submission.decline_reason = reason
    submission.decided_by, submission.decided_at = _user(by), timezone.now()
    submission.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    record_audit(by, "library.decline", submission, reason=reason, source=submission.source_website.site_code,
                 target=submission.target_website.site_code)
    return submission


def submission_counts(unit: Unit, year: int) -> dict[str, int]:
    """信息报送 statistics of one unit's sites in a year (for the annual reports): submitted, accepted, declined."""
    rows = Submission.objects.filter(source_website__owner_unit=unit, submitted_at__year=year).aggregate(
        submitted=Count("pk"),
        accepted=Count("pk", filter=Q(status=SubmissionStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=SubmissionStatus.DECLINED)),
    )
    return {key: rows[key] or 0 for key in ("submitted", "accepted", "declined")}
